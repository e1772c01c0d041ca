package dev.meshd.cli.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.proto.v1.LinkEnd;
import dev.meshd.proto.v1.LinkState;
import dev.meshd.proto.v1.LinkStatus;
import dev.meshd.proto.v1.ProbeMeasurement;
import dev.meshd.proto.v1.ProbeRequest;
import dev.meshd.proto.v1.ProbeResponse;
import dev.meshd.proto.v1.Refusal;
import dev.meshd.proto.v1.TransportTry;
import dev.meshd.proto.v1.TryState;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProbeCommandTest {

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
  void printsEveryTryWithItsReasonAndTheLink() {
    agent.fabric().probe(ProbeResponse.newBuilder()
        .setUpstream(LinkEnd.newBuilder().setNodeId("node1"))
        .setDownstream(LinkEnd.newBuilder().setNodeId("node2"))
        .addTries(skipped("nvlink", "not_same_host", "node1 is on host host-a, node2 on host-b"))
        .addTries(TransportTry.newBuilder().setTransport("rdma").setFabricClass("RDMA_IB")
            .setState(TryState.TRY_STATE_FAILED)
            .setRefusal(Refusal.newBuilder().setReason("probe_timeout")
                .setDetail("no result within 5s; the probe was cut")))
        .addTries(TransportTry.newBuilder().setTransport("quic").setFabricClass("QUIC")
            .setState(TryState.TRY_STATE_SUCCEEDED)
            .setMeasured(ProbeMeasurement.newBuilder().setBytesVerified(64L << 20)
                .setBytesPerSecond(1.23e9).setRtt(Duration.newBuilder().setNanos(85_000))))
        .setLink(LinkStatus.newBuilder().setTransport("quic").setFabricClass("QUIC")
            .setBandwidthBytesPerSecond(1_230_000_000L)
            .setRtt(Duration.newBuilder().setNanos(85_000))
            .setState(LinkState.LINK_STATE_DEGRADED)
            .setReason("fell back past rdma: probe_timeout: no result within 5s; the probe was "
                + "cut"))
        .build());

    Result result = cli.run("fabric", "probe", "--peer", "node2");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("""
        Probe:  node1 -> node2

        TRY   TRANSPORT   RESULT      CLASS     BANDWIDTH   RTT    REASON
        1     nvlink      skipped     -         -           -      not_same_host: node1 is on host host-a, node2 on host-b
        2     rdma        failed      RDMA_IB   -           -      probe_timeout: no result within 5s; the probe was cut
        3     quic        succeeded   QUIC      1.2GB/s     85µs   -

        Link:   quic (QUIC) 1.2GB/s, RTT 85µs, DEGRADED: fell back past rdma: probe_timeout: no result within 5s; the probe was cut
        """);
    assertThat(agent.fabric().requests(ProbeRequest.class)).singleElement().satisfies(r -> {
      assertThat(r.getPeerNode()).isEqualTo("node2");
      assertThat(r.hasTransport()).isFalse();
    });
  }

  @Test
  void aFailedLinkPrintsTheTriesAndExitsOne() {
    agent.fabric().probe(ProbeResponse.newBuilder()
        .setUpstream(LinkEnd.newBuilder().setNodeId("node1"))
        .setDownstream(LinkEnd.newBuilder().setNodeId("node2"))
        .addTries(skipped("quic", "not_offered", "node2 has no quic transport"))
        .setLink(LinkStatus.newBuilder().setState(LinkState.LINK_STATE_FAILED)
            .setReason("no transport both ends can use"))
        .build());

    Result result = cli.run("fabric", "probe", "--peer", "node2", "--transport", "quic");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).endsWith("Link:   FAILED: no transport both ends can use\n");
    assertThat(result.err()).isEqualTo(
        "probe: no transport worked from node1 to node2: no transport both ends can use\n");
    assertThat(agent.fabric().requests(ProbeRequest.class)).singleElement()
        .satisfies(r -> assertThat(r.getTransport()).isEqualTo("quic"));
  }

  @Test
  void anAgentWithoutTransportsIsReportedInOneLineWithoutAStackTrace() {
    agent.fabric().fail(Status.FAILED_PRECONDITION.withDescription(
        "node1 has no stage transport: fabric.order [quic] names no group this agent implements "
            + "yet"));

    Result result = cli.run("fabric", "probe", "--peer", "node2");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("failed precondition: node1 has no stage transport: "
        + "fabric.order [quic] names no group this agent implements yet\n");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void badInputIsAUsageErrorAndNothingIsSent() {
    Result unknown = cli.run("fabric", "probe", "--peer", "node2", "--transport", "tcp");
    Result blank = cli.run("fabric", "probe", "--peer", " ");
    Result missing = cli.run("fabric", "probe");

    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo(
        "--transport: tcp (expected: nvlink, xgmi, rdma, libfabric-tcp or quic)\n");
    assertThat(blank.exitCode()).isEqualTo(2);
    assertThat(blank.err()).isEqualTo("--peer: empty (expected: a node id)\n");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("--peer");
    assertThat(agent.fabric().requests(ProbeRequest.class)).isEmpty();
  }

  @Test
  void fabricAloneListsItsVerbs() {
    Result result = cli.run("fabric");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("links", "probe");
  }

  private static TransportTry skipped(String transport, String reason, String detail) {
    return TransportTry.newBuilder().setTransport(transport)
        .setState(TryState.TRY_STATE_SKIPPED)
        .setRefusal(Refusal.newBuilder().setReason(reason).setDetail(detail))
        .build();
  }
}
