package dev.meshd.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterKeyTest {

  @TempDir Path dir;

  @Test
  void generatedKeyRoundTripsThroughItsFileForm() throws Exception {
    ClusterKey key = ClusterKey.generate(new SecureRandom());
    Path file = dir.resolve("cluster.key");
    Files.writeString(file, "# demo key\n\n" + key.encoded() + "\n");

    assertThat(ClusterKey.load(file)).isEqualTo(key);
    assertThat(key.toString()).doesNotContain(key.encoded());
  }

  @Test
  void derivedKeysDifferByPurpose() {
    ClusterKey key = ClusterKey.generate(new SecureRandom());
    assertThat(key.derive("gossip-record/v1")).hasSize(32).isNotEqualTo(key.derive("agent/v1"));
  }

  @Test
  void wrongLengthNamesFileAndLine() throws Exception {
    Path file = dir.resolve("short.key");
    Files.writeString(file, "\n" + java.util.Base64.getEncoder().encodeToString(new byte[16]));
    assertThatThrownBy(() -> ClusterKey.load(file))
        .hasMessageContaining("short.key:2:")
        .hasMessageContaining("16 bytes (expected: 32)");
  }

  @Test
  void garbageAndEmptyAndMissingFilesAreExplained() throws Exception {
    Path garbage = dir.resolve("garbage.key");
    Files.writeString(garbage, "not*base64!");
    assertThatThrownBy(() -> ClusterKey.load(garbage)).hasMessageContaining("garbage.key:1:")
        .hasMessageContaining("not valid base64");
    Path empty = dir.resolve("empty.key");
    Files.writeString(empty, "# nothing\n");
    assertThatThrownBy(() -> ClusterKey.load(empty)).hasMessageContaining("is empty");
    assertThatThrownBy(() -> ClusterKey.load(dir.resolve("missing.key")))
        .hasMessageContaining("not found");
  }
}
