package dev.meshd.cli.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestClusters;
import dev.meshd.proto.v1.AddRaftPeerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddPeerCommandTest {

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
  void sendsIdAndAddressAndPrintsTheNewStatus() {
    Result result = cli.run("raft", "add-peer", "node4@10.0.0.4:7071");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("peer \"node4\" added at 10.0.0.4:7071\nNODE ")
        .endsWith("term 3, leader node2, answered by node1\n");
    assertThat(agent.policies().requests(AddRaftPeerRequest.class)).singleElement()
        .satisfies(request -> {
          assertThat(request.getId()).isEqualTo("node4");
          assertThat(request.getAddress()).isEqualTo("10.0.0.4:7071");
        });
  }

  @Test
  void ipv6AddressKeepsItsBrackets() {
    cli.run("raft", "add-peer", "node5@[::1]:7071");

    assertThat(agent.policies().requests(AddRaftPeerRequest.class)).singleElement()
        .satisfies(request -> assertThat(request.getAddress()).isEqualTo("[::1]:7071"));
  }

  @Test
  void jsonIsTheClusterStatus() throws Exception {
    Result result = cli.run("raft", "add-peer", "node4@10.0.0.4:7071", "-o", "json");

    assertThat(new ObjectMapper().readTree(result.out()).get("answeredBy").asText())
        .isEqualTo("node1");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "node4", "node4@", "@10.0.0.4:7071", "node4@10.0.0.4", "node4@10.0.0.4:0", "no de@h:1",
    "node4@host:port"
  })
  void badFormIsAUsageErrorAndNothingIsSent(String peer) {
    Result result = cli.run("raft", "add-peer", peer);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("expected");
    assertThat(agent.policies().requests()).isEmpty();
  }
}
