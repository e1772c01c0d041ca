package dev.meshd.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostIdentityTest {

  @TempDir Path dir;

  @Test
  void machineIdIsTrimmed() throws Exception {
    Path file = Files.writeString(dir.resolve("machine-id"), "  0123abcd\n");

    assertThat(HostIdentity.fromMachineIdOr(file, () -> "host")).isEqualTo("0123abcd");
  }

  @Test
  void emptyOrMissingMachineIdFallsBackToTheHostName() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");

    assertThat(HostIdentity.fromMachineIdOr(empty, () -> "host")).isEqualTo("host");
    assertThat(HostIdentity.fromMachineIdOr(dir.resolve("missing"), () -> "host"))
        .isEqualTo("host");
  }

  @Test
  void localIdentityIsNeverBlank() {
    assertThat(HostIdentity.local()).isNotBlank();
  }
}
