package dev.meshd.cli.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestNodes;
import dev.meshd.proto.v1.Node;
import dev.meshd.proto.v1.NodeEvent;
import dev.meshd.proto.v1.NodeEventType;
import dev.meshd.proto.v1.NodeState;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListNodesCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String TABLE =
      """
      NODE     STATE     ZONE   ROLES        GPUS      VRAM            QUEUE   FABRIC                         AGE
      node-a   ALIVE     z1     gpu,router   8 (sim)   0.0/596.0 GiB   -       -                              45s
      node-b   SUSPECT   z2     control      2         12.0/48.0 GiB   -       RDMA_ROCE,LIBFABRIC_TCP,QUIC   3m12s
      node-c   DEAD      -      -            0         -               -       -                              3d4h
      """;

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    agent.service().nodes(TestNodes.threeUnsorted());
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void tableHasTheContractColumnsSortedByIdAndAligned() {
    Result result = cli.run("list-nodes");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo(TABLE);
  }

  @Test
  void jsonIsOneArrayWithEveryFieldPresent() throws Exception {
    Result result = cli.run("list-nodes", "-o", "json");

    assertThat(result.exitCode()).isZero();
    JsonNode nodes = JSON.readTree(result.out());
    assertThat(nodes.isArray()).isTrue();
    assertThat(nodes).extracting(node -> node.get("id").asText())
        .containsExactly("node-a", "node-b", "node-c");

    List<String> allFields = new ArrayList<>();
    for (FieldDescriptor field : Node.getDescriptor().getFields()) {
      allFields.add(field.getJsonName());
    }
    // A message field, so absent unless set: node-a is not draining.
    allFields.remove("drainingSince");
    JsonNode a = nodes.get(0);
    assertThat(a.properties().stream().map(Map.Entry::getKey))
        .containsExactlyInAnyOrderElementsOf(allFields);
    assertThat(a.get("state").asText()).isEqualTo("NODE_STATE_ALIVE");
    assertThat(a.get("recordVersion").isTextual()).as("int64 as string").isTrue();
    assertThat(a.get("recordVersion").asText()).isEqualTo("7");
    assertThat(a.get("gpus").get(0).get("vramUsedBytes").asText()).isEqualTo("0");
    assertThat(a.get("gpus").get(0).get("vramUsedBytes").isTextual()).isTrue();
    assertThat(a.get("gpus").get(0).get("source").asText()).isEqualTo("GPU_SOURCE_SIMULATED");
    assertThat(a.get("gpus").get(0).get("migProfile").asText()).isEmpty();
    assertThat(a.get("fabric").isObject()).isTrue();
    assertThat(a.get("fabric").get("classes").isEmpty()).isTrue();
    assertThat(a.get("fabric").has("quic")).as("a message field, absent unless set").isFalse();
    assertThat(a.get("fabric").get("reasons").get(0).asText())
        .isEqualTo("no /sys/class/infiniband");
    JsonNode fabricB = nodes.get(1).get("fabric");
    assertThat(fabricB.get("classes")).extracting(JsonNode::asText)
        .containsExactly("RDMA_ROCE", "LIBFABRIC_TCP", "QUIC");
    assertThat(fabricB.get("rdmaPorts").get(0).get("state").asText())
        .isEqualTo("RDMA_PORT_STATE_ACTIVE");
    assertThat(fabricB.get("rdmaPorts").get(0).get("rateGbps").asDouble()).isEqualTo(100);
    assertThat(fabricB.get("libfabricProviders").get(0).get("endpointType").asText())
        .isEqualTo("FI_EP_RDM");
    assertThat(fabricB.get("gpuPeerLinks").get(0).get("kind").asText())
        .isEqualTo("GPU_LINK_KIND_PHB");
    assertThat(fabricB.get("gpuPeerLinks").get(0).get("linkCount").asInt()).isZero();
    assertThat(fabricB.get("quic").get("address").asText()).isEqualTo("10.0.0.12:7072");

    JsonNode c = nodes.get(2);
    assertThat(c.get("labels").isObject()).isTrue();
    assertThat(c.get("labels").isEmpty()).isTrue();
    assertThat(c.get("gpus").isArray()).isTrue();
    assertThat(c.get("gpus").isEmpty()).isTrue();
    assertThat(c.get("zone").asText()).isEmpty();
    assertThat(c.get("recordVersion").asText()).isEqualTo("0");
  }

  @Test
  void yamlIsTheJsonDocument() throws Exception {
    JsonNode json = JSON.readTree(cli.run("list-nodes", "-o", "json").out());

    Result result = cli.run("list-nodes", "-o", "yaml");

    assertThat(result.exitCode()).isZero();
    assertThat(new YAMLMapper().readTree(result.out())).isEqualTo(json);
  }

  @Test
  void outputOptionIsAcceptedBeforeTheVerbToo() throws Exception {
    Result result = cli.run("-o", "json", "list-nodes");

    assertThat(result.exitCode()).isZero();
    assertThat(JSON.readTree(result.out()).size()).isEqualTo(3);
  }

  @Test
  void watchRedrawsTheTableOnEveryEventUntilTheStreamEnds() {
    agent.service().watch(twoEvents(), Status.OK);

    Result result = cli.run("list-nodes", "--watch", "--refresh", "0");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(agent.service().watchRequests())
        .singleElement()
        .satisfies(request -> assertThat(request.getSkipInitial()).isFalse());
    // Not a terminal: the initial table and one redraw per event, separated by blank lines.
    String[] tables = result.out().split("\n\n");
    assertThat(tables).hasSize(3);
    assertThat(tables[0] + "\n").isEqualTo(TABLE);
    assertThat(tables[1]).contains("node-d").containsPattern("node-a +ALIVE");
    assertThat(tables[2]).contains("node-d").containsPattern("node-a +LEFT");
    assertThat(result.out()).doesNotContain(NodeWatch.CLEAR_SCREEN);
  }

  @Test
  void watchClearsTheScreenBetweenRedrawsOnATerminal() {
    agent.service().watch(twoEvents(), Status.OK);

    Result result = cli.withTerminal().run("list-nodes", "--watch", "--refresh", "0");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out().split(Pattern.quote(NodeWatch.CLEAR_SCREEN)))
        .hasSize(3);
  }

  @Test
  void watchForgetsRemovedNodes() {
    agent.service().watch(
        List.of(event(NodeEventType.NODE_EVENT_TYPE_REMOVED, TestNodes.nodeC())), Status.OK);

    Result result = cli.run("list-nodes", "--watch", "--refresh", "0");

    String[] tables = result.out().split("\n\n");
    assertThat(tables[0]).contains("node-c");
    assertThat(tables[1]).doesNotContain("node-c").contains("node-a");
  }

  @Test
  void watchAsJsonPrintsOneDocumentPerLine() throws Exception {
    agent.service().watch(twoEvents(), Status.OK);

    Result result = cli.run("list-nodes", "--watch", "-o", "json");

    assertThat(result.exitCode()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(JSON.readTree(lines.get(0)).size()).isEqualTo(3);
    JsonNode added = JSON.readTree(lines.get(1));
    assertThat(added.get("type").asText()).isEqualTo("NODE_EVENT_TYPE_ADDED");
    assertThat(added.get("node").get("id").asText()).isEqualTo("node-d");
    assertThat(JSON.readTree(lines.get(2)).get("type").asText())
        .isEqualTo("NODE_EVENT_TYPE_STATE_CHANGED");
  }

  @Test
  void watchAsYamlPrintsOneDocumentPerItem() throws Exception {
    agent.service().watch(twoEvents(), Status.OK);

    Result result = cli.run("list-nodes", "--watch", "-o", "yaml");

    assertThat(result.exitCode()).isZero();
    List<JsonNode> documents = new ArrayList<>();
    YAMLMapper yaml = new YAMLMapper();
    // Not readValues(): it would unwrap the first document, a sequence, into its elements.
    try (JsonParser parser = yaml.createParser(result.out())) {
      while (parser.nextToken() != null) {
        documents.add(yaml.readTree(parser));
      }
    }
    assertThat(documents).hasSize(3);
    assertThat(documents.get(0).size()).isEqualTo(3);
    assertThat(documents.get(2).get("node").get("state").asText()).isEqualTo("NODE_STATE_LEFT");
  }

  @Test
  void watchThatFailsExitsOneWithTheStatusLine() {
    agent.service().watch(
        twoEvents(), Status.PERMISSION_DENIED.withDescription("role viewer cannot watch"));

    Result result = cli.run("list-nodes", "--watch", "--refresh", "0");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("node-d");
    assertThat(result.err()).isEqualTo("permission denied: role viewer cannot watch\n");
  }

  @Test
  void aRefreshShorterThan100msOrNotADurationIsAUsageError() {
    Result result = cli.run("list-nodes", "--watch", "--refresh", "10ms");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("\"10ms\" (expected: 0, or a duration of at least 100ms");

    assertThat(cli.run("list-nodes", "--watch", "--refresh", "soon").exitCode()).isEqualTo(2);
  }

  private static List<NodeEvent> twoEvents() {
    Node d = TestNodes.nodeC().toBuilder().setId("node-d")
        .setState(NodeState.NODE_STATE_ALIVE).build();
    Node aLeft = TestNodes.nodeA().toBuilder().setState(NodeState.NODE_STATE_LEFT).build();
    return List.of(
        event(NodeEventType.NODE_EVENT_TYPE_ADDED, d),
        event(NodeEventType.NODE_EVENT_TYPE_STATE_CHANGED, aLeft));
  }

  private static NodeEvent event(NodeEventType type, Node node) {
    return NodeEvent.newBuilder().setType(type).setNode(node)
        .setTime(TestNodes.ago(Duration.ZERO)).build();
  }

  @Test
  void aDrainedNodeReadsAliveDrainingInTheStateColumn() {
    agent.service().nodes(java.util.List.of(TestNodes.nodeA().toBuilder().setDraining(true)
        .setDrainReason("kernel upgrade").build(), TestNodes.nodeB()));

    Result result = cli.run("list-nodes");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("""
        NODE     STATE            ZONE   ROLES        GPUS      VRAM            QUEUE   FABRIC                         AGE
        node-a   ALIVE,draining   z1     gpu,router   8 (sim)   0.0/596.0 GiB   -       -                              45s
        node-b   SUSPECT          z2     control      2         12.0/48.0 GiB   -       RDMA_ROCE,LIBFABRIC_TCP,QUIC   3m12s
        """);
  }

  @Test
  void fabricNamesAtMostThreeClassesAndCountsTheRest() {
    Node many = TestNodes.nodeC().toBuilder().setFabric(dev.meshd.proto.v1.Fabric.newBuilder()
        .addClasses("NVLINK").addClasses("RDMA_IB").addClasses("EFA")
        .addClasses("LIBFABRIC_TCP").addClasses("QUIC")).build();
    Node three = TestNodes.nodeC().toBuilder().setId("node-d")
        .setFabric(dev.meshd.proto.v1.Fabric.newBuilder()
            .addClasses("NVLINK").addClasses("RDMA_IB").addClasses("QUIC")).build();
    agent.service().nodes(java.util.List.of(many, three));

    Result result = cli.run("list-nodes");

    assertThat(result.out()).containsPattern("node-c +DEAD .* NVLINK,RDMA_IB,EFA,\\+2 +3d4h")
        .containsPattern("node-d +DEAD .* NVLINK,RDMA_IB,QUIC +3d4h");
  }

  @Test
  void queueSumsTheWaitingRequestsOfTheRuntimesTheAgentHasSignalsFor() {
    Node busy = TestNodes.nodeA().toBuilder().setRuntimes(0, TestNodes.nodeA().getRuntimes(0)
        .toBuilder().setStatus(dev.meshd.proto.v1.RuntimeStatus.newBuilder().setHealthy(true)
            .setQueueDepth(7).setRunningRequests(4))).build();
    Node down = TestNodes.nodeA().toBuilder().setId("node-c").setRuntimes(0,
        TestNodes.nodeA().getRuntimes(0).toBuilder().setStatus(
            dev.meshd.proto.v1.RuntimeStatus.newBuilder().setHealthy(false)
                .setReason("connection refused"))).build();
    agent.service().nodes(java.util.List.of(busy, TestNodes.nodeB(), down));

    Result result = cli.run("list-nodes");

    assertThat(result.out()).containsPattern("node-a +ALIVE .* 7 +- ")
        .containsPattern("node-b +SUSPECT .* - +RDMA_ROCE,LIBFABRIC_TCP,QUIC ")
        .containsPattern("node-c +ALIVE .* 0 \\(down\\) +- ");
  }
}
