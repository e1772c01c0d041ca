package dev.meshd.cli.placement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestDocuments;
import dev.meshd.proto.v1.GetPlacementRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GetPlacementCommandTest {

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    agent.policies().placement(TestDocuments.pipeline()).placement(TestDocuments.replicas());
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void pipelineShowsStagesInOrderAndTheLinkWithItsFallbacks() {
    Result result = cli.run("placement", "get", "llama-pipeline");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(
        """
        Name:      llama-pipeline
        Model:     meta-llama/Llama-3.1-8B-Instruct
        Kind:      stages
        Stages:    2
          STAGE   LAYERS   NODE    GPUS
          0       0-15     node1   0
          1       16-31    node2   0
        Links:     1
          LINK   TRANSPORT   CLASS   BANDWIDTH   RTT     STATE         REASON   FALLBACKS
          0->1   quic        QUIC    12.5GB/s    1.5ms   ESTABLISHED   -        nvlink: different hosts; rdma: no shared provider
        Cordoned:  -
        Revision:  15
        """);
    assertThat(agent.policies().requests(GetPlacementRequest.class)).singleElement()
        .satisfies(request -> assertThat(request.getSerializable()).isFalse());
  }

  @Test
  void replicasShowNodesGpusAndCordons() {
    Result result = cli.run("placement", "get", "llama-replicas", "--serializable");

    assertThat(result.out()).isEqualTo(
        """
        Name:      llama-replicas
        Model:     meta-llama/Llama-3.1-8B-Instruct
        Kind:      replicas
        Replicas:  2
          NODE    GPUS
          node1   0,1
          node2   0
        Links:     0
        Cordoned:  node2
        Revision:  9
        """);
    assertThat(agent.policies().requests(GetPlacementRequest.class)).singleElement()
        .satisfies(request -> assertThat(request.getSerializable()).isTrue());
  }

  @Test
  void jsonAndYaml() throws Exception {
    JsonNode json = new ObjectMapper().readTree(
        cli.run("placement", "get", "llama-pipeline", "-o", "json").out());
    JsonNode yaml = new YAMLMapper().readTree(
        cli.run("placement", "get", "llama-pipeline", "-o", "yaml").out());

    JsonNode status = json.get("links").get(0).get("status");
    assertThat(status.get("bandwidthBytesPerSecond").asText()).isEqualTo("12500000000");
    assertThat(status.get("rtt").asText()).isEqualTo("0.001500s");
    assertThat(json.get("replicas").isArray()).isTrue();
    assertThat(yaml).isEqualTo(json);
  }

  @Test
  void notFoundExitsOne() {
    Result result = cli.run("placement", "get", "nope");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("not found: placement \"nope\"\n");
  }
}
