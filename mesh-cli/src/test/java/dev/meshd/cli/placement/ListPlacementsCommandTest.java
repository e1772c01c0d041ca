package dev.meshd.cli.placement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestDocuments;
import dev.meshd.proto.v1.LinkState;
import dev.meshd.proto.v1.LinkStatus;
import dev.meshd.proto.v1.ListPlacementsRequest;
import dev.meshd.proto.v1.Placement;
import dev.meshd.proto.v1.Stage;
import dev.meshd.proto.v1.StageLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListPlacementsCommandTest {

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    agent.policies().placement(TestDocuments.replicas()).placement(TestDocuments.pipeline())
        .placement(threeStagesOneLinkPendingOneFailed());
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void tableHasTheColumnsSortedByName() {
    Result result = cli.run("placement", "list");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(
        """
        NAME             MODEL                              KIND       TARGETS                LINKS                              CORDONED   REVISION
        big-pipeline     big                                stages     0:n1 -> 1:n2 -> 2:n3   0->1 pending, 1->2 rdma (failed)   -          3
        llama-pipeline   meta-llama/Llama-3.1-8B-Instruct   stages     0:node1 -> 1:node2     0->1 quic 12.5GB/s                 -          15
        llama-replicas   meta-llama/Llama-3.1-8B-Instruct   replicas   node1[0,1] node2[0]    -                                  node2      9
        """);
    assertThat(agent.policies().requests(ListPlacementsRequest.class)).singleElement()
        .satisfies(request -> assertThat(request.getSerializable()).isFalse());
  }

  @Test
  void serializableIsSent() {
    cli.run("placement", "list", "--serializable");

    assertThat(agent.policies().requests(ListPlacementsRequest.class)).singleElement()
        .satisfies(request -> assertThat(request.getSerializable()).isTrue());
  }

  @Test
  void jsonIsOneArrayAndYamlTheSame() throws Exception {
    JsonNode json = new ObjectMapper().readTree(cli.run("placement", "list", "-o", "json").out());
    JsonNode yaml = new YAMLMapper().readTree(cli.run("placement", "list", "-o", "yaml").out());

    assertThat(json.isArray()).isTrue();
    assertThat(json).extracting(p -> p.get("name").asText())
        .containsExactly("big-pipeline", "llama-pipeline", "llama-replicas");
    assertThat(json.get(2).get("cordonedNodes").get(0).asText()).isEqualTo("node2");
    assertThat(yaml).isEqualTo(json);
  }

  private static Placement threeStagesOneLinkPendingOneFailed() {
    return Placement.newBuilder()
        .setName("big-pipeline")
        .setModel("big")
        .addStages(Stage.newBuilder().setIndex(0).setNodeId("n1"))
        .addStages(Stage.newBuilder().setIndex(1).setNodeId("n2"))
        .addStages(Stage.newBuilder().setIndex(2).setNodeId("n3"))
        .addLinks(StageLink.newBuilder().setFromStage(0).setToStage(1))
        .addLinks(StageLink.newBuilder().setFromStage(1).setToStage(2)
            .setStatus(LinkStatus.newBuilder().setTransport("rdma")
                .setState(LinkState.LINK_STATE_FAILED).setReason("probe timed out")))
        .setRevision(3)
        .build();
  }
}
