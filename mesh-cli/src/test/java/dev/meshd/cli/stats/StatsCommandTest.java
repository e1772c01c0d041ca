package dev.meshd.cli.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.Duration;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.proto.v1.Stats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatsCommandTest {

  private static final Stats STATS =
      Stats.newBuilder()
          .setNodeId("node-a")
          .setAgentVersion("0.1.0")
          .setUptime(Duration.newBuilder().setSeconds(2 * 3600 + 5 * 60 + 9))
          .setMembersAlive(3)
          .setMembersSuspect(1)
          .setRecordVersion(12)
          .setGpus(8)
          .setVramTotalBytes(640_000_000_000L)
          .build();

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    agent.service().stats(STATS);
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void tableIsOneKeyValueLinePerCounter() {
    Result result = cli.run("stats");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .isEqualTo(
            """
            Node:              node-a
            Agent version:     0.1.0
            Uptime:            2h5m
            Members alive:     3
            Members suspect:   1
            Members dead:      0
            Members left:      0
            Records rejected:  0
            Record version:    12
            GPUs:              8
            VRAM:              0.0/596.0 GiB
            """);
  }

  @Test
  void jsonAndYamlAreTheStatsMessageWithDefaultsPresent() throws Exception {
    JsonNode json = new ObjectMapper().readTree(cli.run("stats", "-o", "json").out());
    JsonNode yaml = new YAMLMapper().readTree(cli.run("stats", "-o", "yaml").out());

    assertThat(json.get("membersDead").asInt()).isZero();
    assertThat(json.get("recordsRejected").asText()).isEqualTo("0");
    assertThat(json.get("uptime").asText()).isEqualTo("7509s");
    assertThat(json.properties()).hasSize(Stats.getDescriptor().getFields().size());
    assertThat(yaml).isEqualTo(json);
  }
}
