package dev.meshd.cli.placement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestDocuments;
import dev.meshd.proto.v1.PutPlacementRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PutPlacementCommandTest {

  private static final String PIPELINE =
      TestDocuments.example("placement-llama-pipeline.yaml").toString();
  private static final String REPLICAS =
      TestDocuments.example("placement-llama-replicas.yaml").toString();

  @TempDir
  Path dir;

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    agent.policies().revision(99);
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void storesThePipelineExample() {
    Result result = cli.run("placement", "put", "-f", PIPELINE);

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .isEqualTo("placement \"llama-3.1-8b-pipeline\" stored at revision 100\n");
    PutPlacementRequest request = onlyRequest();
    assertThat(request.hasExpectedRevision()).isFalse();
    assertThat(request.getPlacement().getStagesCount()).isEqualTo(2);
    assertThat(request.getPlacement().getLinksCount()).isEqualTo(1);
  }

  @Test
  void storesTheReplicaExampleWithExpectedRevision() {
    Result result = cli.run("placement", "put", "-f", REPLICAS, "--expected-revision", "0");

    assertThat(result.exitCode()).isZero();
    PutPlacementRequest request = onlyRequest();
    assertThat(request.hasExpectedRevision()).isTrue();
    assertThat(request.getExpectedRevision()).isZero();
    assertThat(request.getPlacement().getReplicasCount()).isEqualTo(3);

    Result again = cli.run("placement", "put", "-f", REPLICAS, "--expected-revision", "0");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("failed precondition: revision conflict: placement "
        + "\"llama-3.1-8b-replicas\" is at revision 100\n");
  }

  @Test
  void jsonAndYamlAreTheStoredPlacement() throws Exception {
    JsonNode json = new ObjectMapper().readTree(
        cli.run("placement", "put", "-f", PIPELINE, "-o", "json").out());
    Result yaml = cli.run("placement", "put", "-f", PIPELINE, "-o", "yaml");

    assertThat(json.get("revision").asText()).isEqualTo("100");
    assertThat(json.get("stages").get(1).get("lastLayer").asInt()).isEqualTo(31);
    assertThat(json.get("links").get(0).has("status"))
        .as("a message field is printed only once set: not negotiated yet").isFalse();
    assertThat(new YAMLMapper().readTree(yaml.out()).get("revision").asText()).isEqualTo("101");
  }

  @Test
  void wrongTypeExitsTwoNamingFieldAndLine() throws IOException {
    Path file = Files.writeString(dir.resolve("p.yaml"), """
        name: p
        model: m
        replicas:
          - nodeId: node1
            gpuIndexes: [zero]
        """);

    Result result = cli.run("placement", "put", "-f", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).isEqualTo(
        file + ": line 5: replicas[0].gpuIndexes[0]: Not an uint32 value: \"zero\"\n");
    assertThat(agent.headers().headers()).isEmpty();
  }

  private PutPlacementRequest onlyRequest() {
    assertThat(agent.policies().requests(PutPlacementRequest.class)).hasSize(1);
    return agent.policies().requests(PutPlacementRequest.class).getFirst();
  }
}
