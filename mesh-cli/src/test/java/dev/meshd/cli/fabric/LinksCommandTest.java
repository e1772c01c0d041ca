package dev.meshd.cli.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.proto.v1.LinkState;
import dev.meshd.proto.v1.LinkStatus;
import dev.meshd.proto.v1.ListLinksRequest;
import dev.meshd.proto.v1.ListLinksResponse;
import dev.meshd.proto.v1.PlacementLink;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LinksCommandTest {

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    cli = CliRunner.against(agent);
    agent.fabric().links(ListLinksResponse.newBuilder()
        .setRevision(12)
        // Out of order on purpose: the table sorts by placement, then stage.
        .addLinks(link("llama-pp", 1, "node2", "node3", LinkStatus.newBuilder()
            .setState(LinkState.LINK_STATE_FAILED)
            .setReason("every transport tried failed (last: quic: probe_timeout: no result "
                + "within 5s; the probe was cut)")
            .build()))
        .addLinks(link("llama-pp", 0, "node1", "node2", LinkStatus.newBuilder()
            .setTransport("rdma").setFabricClass("RDMA_IB")
            .setBandwidthBytesPerSecond(23_400_000_000L)
            .setRtt(Duration.newBuilder().setNanos(4_000))
            .setState(LinkState.LINK_STATE_ESTABLISHED)
            .addFallbackReasons("nvlink: not_same_host")
            .setNegotiatedAt(Timestamp.newBuilder().setSeconds(1_763_798_000))
            .build()))
        .addLinks(link("big", 0, "n1", "n2", LinkStatus.newBuilder()
            .setState(LinkState.LINK_STATE_PENDING).build()))
        .addLinks(link("big", 1, "n2", "n3", LinkStatus.newBuilder()
            .setTransport("quic").setFabricClass("QUIC")
            .setBandwidthBytesPerSecond(850_000_000L)
            .setRtt(Duration.newBuilder().setNanos(1_500_000))
            .setState(LinkState.LINK_STATE_DEGRADED)
            .setReason("fell back past rdma: checksum_mismatch: message 3")
            .build()))
        .build());
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void tableShowsEveryLinkInHumanUnitsSortedByPlacementAndStage() {
    Result result = cli.run("fabric", "links");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("""
        PLACEMENT   FROM      TO        TRANSPORT   BANDWIDTH   RTT     STATE         REASON
        big         0:n1      1:n2      -           -           -       PENDING       -
        big         1:n2      2:n3      quic        850.0MB/s   1.5ms   DEGRADED      fell back past rdma: checksum_mismatch: message 3
        llama-pp    0:node1   1:node2   rdma        23.4GB/s    4µs     ESTABLISHED   -
        llama-pp    1:node2   2:node3   -           -           -       FAILED        every transport tried failed (last: quic: probe_timeout: no result within 5s; the probe was cut)
        """);
    assertThat(agent.fabric().requests(ListLinksRequest.class)).singleElement()
        .satisfies(r -> assertThat(r.getPlacement()).isEmpty());
  }

  @Test
  void jsonIsOneArrayOfLinksWithEveryField() throws Exception {
    Result result = cli.run("fabric", "links", "-o", "json");

    assertThat(result.exitCode()).isZero();
    JsonNode links = new ObjectMapper().readTree(result.out());
    assertThat(links.isArray()).isTrue();
    assertThat(links).hasSize(4);
    assertThat(links.get(2).get("status").get("bandwidthBytesPerSecond").asText())
        .isEqualTo("23400000000");
    assertThat(links.get(2).get("status").get("fallbackReasons").get(0).asText())
        .isEqualTo("nvlink: not_same_host");
  }

  @Test
  void aPlacementFilterIsSentAndAnUnknownPlacementIsReportedInOneLine() {
    agent.fabric().fail(Status.NOT_FOUND.withDescription("placement \"nope\""));

    Result result = cli.run("fabric", "links", "--placement", "nope");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("not found: placement \"nope\"\n");
    assertThat(agent.fabric().requests(ListLinksRequest.class)).singleElement()
        .satisfies(r -> assertThat(r.getPlacement()).isEqualTo("nope"));
  }

  private static PlacementLink link(String placement, int from, String fromNode, String toNode,
      LinkStatus status) {
    return PlacementLink.newBuilder()
        .setPlacement(placement).setFromStage(from).setToStage(from + 1)
        .setFromNode(fromNode).setToNode(toNode).setStatus(status).build();
  }
}
