package dev.meshd.cli.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.proto.v1.DrainNodeRequest;
import dev.meshd.proto.v1.NodeDrain;
import dev.meshd.proto.v1.UncordonNodeRequest;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DrainCommandTest {

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    agent.policies().revision(11);
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void drainSendsTheNodeAndReasonAndPrintsWhatChanged() {
    Result result = cli.run("drain", "node2", "--reason", "kernel upgrade");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo("node \"node2\" draining at revision 12\n");
    assertThat(agent.policies().requests(DrainNodeRequest.class)).singleElement()
        .satisfies(request -> {
          assertThat(request.getNodeId()).isEqualTo("node2");
          assertThat(request.getReason()).isEqualTo("kernel upgrade");
          assertThat(request.hasExpectedRevision()).isFalse();
        });
  }

  @Test
  void drainWithoutAReasonAndAsJson() throws Exception {
    Result result = cli.run("drain", "node2", "-o", "json");

    assertThat(result.exitCode()).isZero();
    JsonNode drain = new ObjectMapper().readTree(result.out());
    assertThat(drain.get("nodeId").asText()).isEqualTo("node2");
    assertThat(drain.get("reason").asText()).isEmpty();
    assertThat(drain.get("revision").asText()).isEqualTo("12");
    assertThat(drain.has("requestedAt")).isTrue();
  }

  @Test
  void uncordonPrintsTheRevisionOfTheDelete() {
    agent.policies().drain(NodeDrain.newBuilder().setNodeId("node2").setRevision(11).build());

    Result result = cli.run("uncordon", "node2");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("node \"node2\" uncordoned at revision 12\n");
    assertThat(agent.policies().requests(UncordonNodeRequest.class)).singleElement()
        .satisfies(request -> assertThat(request.getNodeId()).isEqualTo("node2"));
  }

  @Test
  void uncordonOfANodeThatIsNotDrainedExitsOneWithAClearLine() {
    Result result = cli.run("uncordon", "node2");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("not found: node \"node2\" is not drained\n");
  }

  @Test
  void expectedRevisionIsSentAndAConflictExitsOne() {
    agent.policies().drain(NodeDrain.newBuilder().setNodeId("node2").setRevision(11).build());

    Result conflict = cli.run("drain", "node2", "--expected-revision", "0");

    assertThat(conflict.exitCode()).isEqualTo(1);
    assertThat(conflict.err()).startsWith("failed precondition: revision conflict: drain");
    assertThat(agent.policies().requests(DrainNodeRequest.class)).singleElement()
        .satisfies(request -> assertThat(request.getExpectedRevision()).isZero());
    assertThat(cli.run("uncordon", "node2", "--expected-revision", "11").exitCode()).isZero();
  }

  @Test
  void aReasonTheStoreWouldRefuseIsAUsageErrorAndNothingIsSent() {
    Result tooLong = cli.run("drain", "node2", "--reason", "x".repeat(257));
    Result twoLines = cli.run("drain", "node2", "--reason", "a\nb");

    assertThat(tooLong.exitCode()).isEqualTo(2);
    assertThat(tooLong.err()).contains("--reason: 257 characters (expected: at most 256)");
    assertThat(twoLines.exitCode()).isEqualTo(2);
    assertThat(agent.policies().requests()).isEmpty();
  }

  @Test
  void theAgentsRefusalIsReportedOnOneLine() {
    agent.policies().failWith(Status.PERMISSION_DENIED.withDescription(
        "viewer \"vic\" may not call meshd.v1.PolicyService/DrainNode"));

    Result result = cli.run("drain", "node2");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(
        "permission denied: viewer \"vic\" may not call meshd.v1.PolicyService/DrainNode\n");
  }
}
