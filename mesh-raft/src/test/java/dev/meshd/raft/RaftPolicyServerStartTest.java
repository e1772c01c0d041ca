package dev.meshd.raft;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.config.HostPort;
import dev.meshd.core.config.RaftPeer;
import dev.meshd.testkit.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftPolicyServerStartTest {

  @TempDir Path dir;

  @Test
  void aTakenRaftPortFailsTheStartWithTheAddressInsteadOfEndingTheJvm() throws IOException {
    int port = FreePorts.loopback();
    RaftPeer self = new RaftPeer("n1", new HostPort("127.0.0.1", port));
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      RaftPolicyServer server = RaftPolicyServer.builder()
          .nodeId("n1")
          .peers(List.of(self))
          .dataDir(dir.resolve("n1"))
          .build();
      try (server) {
        // Before the fix Ratis called System.exit here and the test JVM died.
        assertThatThrownBy(server::start)
            .isInstanceOf(IOException.class)
            .hasMessageContaining("127.0.0.1:" + port)
            .hasMessageContaining("listen.raft");
      }
    }
  }
}
