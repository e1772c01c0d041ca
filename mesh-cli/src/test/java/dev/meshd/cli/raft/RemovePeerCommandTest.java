package dev.meshd.cli.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestClusters;
import dev.meshd.proto.v1.RemoveRaftPeerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RemovePeerCommandTest {

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
  void sendsTheIdAndPrintsTheNewStatus() {
    Result result = cli.run("raft", "remove-peer", "node3");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("peer \"node3\" removed\nNODE ");
    assertThat(agent.policies().requests(RemoveRaftPeerRequest.class)).singleElement()
        .satisfies(request -> assertThat(request.getId()).isEqualTo("node3"));
  }

  @Test
  void jsonAndYamlAreTheClusterStatus() throws Exception {
    Result json = cli.run("raft", "remove-peer", "node3", "-o", "json");
    Result yaml = cli.run("raft", "remove-peer", "node3", "-o", "yaml");

    assertThat(new YAMLMapper().readTree(yaml.out()))
        .isEqualTo(new ObjectMapper().readTree(json.out()));
  }

  @Test
  void blankIdIsAUsageError() {
    assertThat(cli.run("raft", "remove-peer", " ").exitCode()).isEqualTo(2);
    assertThat(cli.run("raft", "remove-peer").exitCode()).isEqualTo(2);
    assertThat(agent.policies().requests()).isEmpty();
  }
}
