package dev.meshd.cli.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.proto.v1.RankedTarget;
import dev.meshd.proto.v1.RejectedTarget;
import dev.meshd.proto.v1.RouteResponse;
import dev.meshd.proto.v1.RouteTarget;
import dev.meshd.proto.v1.ScoreTerm;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouteCommandTest {

  private static final String LLAMA = "meta-llama/Llama-3.1-8B-Instruct";

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void explainsTheRankingAndTheRejections() {
    agent.router().answer(RouteResponse.newBuilder()
        .setModel(LLAMA).setStrategy("hybrid").setRouterNode("node1").setStoreRevision(7)
        .setDecisionTime(Duration.newBuilder().setNanos(42_000))
        .addTargets(RankedTarget.newBuilder().setRank(1).setScore(0.8731)
            .setTarget(RouteTarget.newBuilder().setNodeId("node2")
                .setRuntime("http://127.0.0.1:8002").setQueueDepth(1).setRoutedSinceSignal(2)
                .setKvCacheUsage(0.125).setDecodeTokensPerSecond(41.4).setVramFreeRatio(0.8)
                .setSignalAge(Duration.newBuilder().setNanos(120_000_000)))
            .addTerms(ScoreTerm.newBuilder().setName("queue_depth").setValue(0.25)
                .setWeight(0.45)))
        .addRejected(RejectedTarget.newBuilder().setReason("node draining")
            .setTarget(RouteTarget.newBuilder().setNodeId("node3")
                .setRuntime("http://127.0.0.1:8003")))
        .build());

    Result result = cli.run("route", "--model", LLAMA, "--tenant", "team-a");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("""
        Model:     meta-llama/Llama-3.1-8B-Instruct
        Policy:    (none: defaults)
        Strategy:  hybrid
        Router:    node1 (store revision 7, decided in 42us)

        RANK   NODE    RUNTIME                 QUEUE    KV    DECODE   VRAM-FREE   AGE     SCORE   TERMS
        1      node2   http://127.0.0.1:8002   1 (+2)   13%   41/s     80%         120ms   0.873   queue_depth=0.25x0.45

        REJECTED   RUNTIME                 REASON
        node3      http://127.0.0.1:8003   node draining
        """);
    assertThat(agent.router().requests()).singleElement().satisfies(request -> {
      assertThat(request.getModel()).isEqualTo(LLAMA);
      assertThat(request.getTenant()).isEqualTo("team-a");
    });
  }

  @Test
  void admissionRejectionIsReportedWithTheAgentsReason() {
    agent.router().fail(Status.RESOURCE_EXHAUSTED.withDescription(
        "model \"m\": admission rejected every target (policy p): node1 (admission: queue 9 > max 4)"));

    Result result = cli.run("route", "--model", "m");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("admission rejected every target", "queue 9 > max 4");
  }

  @Test
  void missingModelIsAUsageError() {
    Result result = cli.run("route");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("--model");
    assertThat(agent.router().requests()).isEmpty();
  }
}
