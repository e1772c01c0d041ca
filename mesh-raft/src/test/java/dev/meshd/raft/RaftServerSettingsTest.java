package dev.meshd.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.config.HostPort;
import dev.meshd.core.config.RaftConfig;
import dev.meshd.core.config.RaftPeer;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;

class RaftServerSettingsTest {

  private static final List<RaftPeer> PEERS =
      List.of(RaftPeer.parse("node1@127.0.0.1:7071"), RaftPeer.parse("node2@127.0.0.1:7171"));

  @Test
  void propertiesPinStorageAddressSnapshotsAndLinearizableReads() {
    Path data = Path.of("/var/lib/meshd/node1");

    RaftProperties p = RaftServerSettings.defaults()
        .toProperties(new HostPort("127.0.0.1", 7071), data);

    assertThat(RaftServerConfigKeys.storageDir(p)).containsExactly(new File("/var/lib/meshd/node1"));
    assertThat(GrpcConfigKeys.Server.host(p)).isEqualTo("127.0.0.1");
    assertThat(GrpcConfigKeys.Server.port(p)).isEqualTo(7071);
    assertThat(RaftServerConfigKeys.Snapshot.autoTriggerEnabled(p)).isTrue();
    assertThat(RaftServerConfigKeys.Snapshot.autoTriggerThreshold(p)).isEqualTo(10_000);
    assertThat(RaftServerConfigKeys.Log.purgeUptoSnapshotIndex(p)).isTrue();
    assertThat(RaftServerConfigKeys.Read.option(p))
        .isEqualTo(RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    assertThat(RaftServerConfigKeys.Rpc.timeoutMin(p).toLong(
        java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(1000);
  }

  @Test
  void settingsAndOptionsRejectValuesThatWouldHangOrThrash() {
    assertThatThrownBy(() -> new RaftServerSettings(Duration.ofMillis(10), 1, 4096, 1))
        .hasMessage("electionTimeout: PT0.01S (expected: >= 50ms)");
    assertThatThrownBy(() -> RaftServerSettings.defaults().withHistoryLimit(0))
        .hasMessage("historyLimit: 0 (expected: >= 1)");
    assertThatThrownBy(() -> StoreOptions.defaults().withCallTimeout(Duration.ZERO))
        .hasMessage("callTimeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> new StoreOptions(null, Duration.ofSeconds(1), Duration.ofSeconds(1),
        0, Duration.ofMillis(1))).hasMessage("maxAttempts: 0 (expected: >= 1)");
  }

  @Test
  void builderNamesWhatIsMissingOrInconsistent() {
    assertThatThrownBy(() -> RaftPolicyServer.builder().build())
        .hasMessage("raft server: missing nodeId, peers, dataDir");
    assertThatThrownBy(() -> RaftPolicyServer.builder().nodeId("node9").peers(PEERS)
        .dataDir(Path.of("d")).build())
        .hasMessageContaining("node id \"node9\" is not among the peers");
    assertThatThrownBy(() -> RaftPolicyServer.builder().nodeId("node1")
        .peers(List.of(PEERS.get(0), PEERS.get(0))).dataDir(Path.of("d")).build())
        .hasMessageContaining("(expected: each id once)");

    RaftPolicyServer server = RaftPolicyServer.builder().nodeId("node2")
        .config(new RaftConfig(Path.of("data/node2"), PEERS)).build();

    assertThat(server.nodeId()).isEqualTo("node2");
    assertThat(server.group().getPeers()).hasSize(2);
    assertThat(server.isLeader()).as("not started").isFalse();
  }
}
