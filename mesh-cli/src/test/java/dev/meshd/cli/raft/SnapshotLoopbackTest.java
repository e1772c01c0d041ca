package dev.meshd.cli.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestClusters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raft verbs, including the streamed snapshot, over a real loopback socket. */
class SnapshotLoopbackTest {

  @TempDir
  Path dir;

  @Test
  void statusAndSnapshotOverTcp() throws IOException {
    byte[] data = new byte[3 * 1024 * 1024 + 5];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    Path file = dir.resolve("store.snap");
    try (FakeAgent agent = FakeAgent.loopback()) {
      agent.policies().clusterStatus(TestClusters.threeVoters())
          .snapshot(SaveSnapshotCommandTest.chunks(data, SaveSnapshotCommandTest.sha256(data)));
      CliRunner cli = CliRunner.against(agent);

      Result status = cli.run("--server", agent.server(), "raft", "status");
      Result save = cli.run("--server", agent.server(), "raft", "snapshot", "save",
          file.toString());

      assertThat(status.exitCode()).isZero();
      assertThat(status.out()).contains("node2*");
      assertThat(save.exitCode()).isZero();
      assertThat(save.err()).isEmpty();
      assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }
  }
}
