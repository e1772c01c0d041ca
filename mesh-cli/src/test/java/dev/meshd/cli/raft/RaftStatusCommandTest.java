package dev.meshd.cli.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestClusters;
import dev.meshd.proto.v1.ClusterStatus;
import dev.meshd.proto.v1.GetClusterStatusRequest;
import dev.meshd.proto.v1.RaftPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RaftStatusCommandTest {

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    agent.policies().clusterStatus(TestClusters.threeVoters());
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void tableMarksTheLeaderAndEndsWithTheTermLine() {
    Result result = cli.run("raft", "status");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo(
        """
        NODE     ID      ADDRESS          ROLE          VOTER   COMMIT   APPLIED   LAG
        node1    node1   127.0.0.1:7071   FOLLOWER      yes     41       41        1
        node2*   node2   127.0.0.1:7171   LEADER        yes     42       42        0
        node3    node3   127.0.0.1:7271   UNREACHABLE   yes     0        0         0
        term 3, leader node2, answered by node1
        """);
    assertThat(agent.policies().requests(GetClusterStatusRequest.class)).hasSize(1);
  }

  @Test
  void withoutALeaderNoStarAndLeaderNone() {
    agent.policies().clusterStatus(ClusterStatus.newBuilder()
        .addPeers(RaftPeer.newBuilder().setId("node1").setAddress("127.0.0.1:7071"))
        .setTerm(4).setAnsweredBy("node1").build());

    Result result = cli.run("raft", "status");

    assertThat(result.out()).isEqualTo(
        """
        NODE    ID      ADDRESS          ROLE          VOTER   COMMIT   APPLIED   LAG
        node1   node1   127.0.0.1:7071   UNSPECIFIED   no      0        0         0
        term 4, leader none, answered by node1
        """);
  }

  @Test
  void jsonAndYamlAreTheClusterStatus() throws Exception {
    JsonNode json = new ObjectMapper().readTree(cli.run("raft", "status", "-o", "json").out());
    JsonNode yaml = new YAMLMapper().readTree(cli.run("raft", "status", "-o", "yaml").out());

    assertThat(json.get("leaderId").asText()).isEqualTo("node2");
    assertThat(json.get("term").asText()).isEqualTo("3");
    assertThat(json.get("peers").get(0).get("role").asText()).isEqualTo("PEER_ROLE_UNREACHABLE");
    assertThat(json.get("peers").get(0).get("lag").asText()).isEqualTo("0");
    assertThat(yaml).isEqualTo(json);
  }
}
