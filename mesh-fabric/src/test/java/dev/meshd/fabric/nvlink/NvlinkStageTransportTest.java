package dev.meshd.fabric.nvlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.fabric.negotiate.Acceptance;
import dev.meshd.fabric.negotiate.LinkContext;
import dev.meshd.fabric.negotiate.LinkEnd;
import dev.meshd.fabric.negotiate.TransportEndpoint;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NVLink transport through the negotiation seam, on the fake CUDA driver (host memory as
 * GPUs): offer, accept and probe between two stages' GPUs; the reasons it gives without a driver
 * or a GPU.
 */
class NvlinkStageTransportTest {

  private static final ProbeSpec SMALL = new ProbeSpec(3, 1 << 20, 4, Duration.ofSeconds(10));

  @TempDir Path libs;

  private static LinkContext link(List<Integer> upstreamGpus, List<Integer> downstreamGpus) {
    return new LinkContext(new LinkEnd("node1", "host-a", upstreamGpus),
        new LinkEnd("node2", "host-a", downstreamGpus), "pp/0->1");
  }

  private static LinkContext reversed(LinkContext link) {
    return new LinkContext(link.peer(), link.local(), link.label());
  }

  @Test
  void offerAcceptAndProbeBetweenTheStagesGpus() throws Exception {
    try (FakeCuda cuda = FakeCuda.compile(libs, "libfake-cuda-transport.so")) {
      NvlinkStageTransport transport = new NvlinkStageTransport(new NvlinkProbe(cuda.path()));
      LinkContext upstream = link(List.of(0), List.of(1));

      TransportEndpoint offer = transport.offer(upstream);
      try (Acceptance answer = transport.accept(offer, reversed(upstream))) {
        ProbeResult result = transport.probe(upstream, answer.endpoint(), SMALL);

        assertThat(offer.fabricClass()).isEqualTo(FabricClass.NVLINK);
        assertThat(answer.endpoint().data().toUtf8()).isEqualTo("1");
        assertThat(result.bytesVerified()).isEqualTo(4L << 20);
        assertThat(result.bytesPerSecond()).isPositive();
      }
    }
  }

  @Test
  void withoutADriverOrAGpuItSaysWhy() {
    NvlinkStageTransport noDriver =
        new NvlinkStageTransport(new NvlinkProbe(libs.resolve("libcuda-absent.so").toString()));

    assertThatThrownBy(() -> noDriver.offer(link(List.of(0), List.of(1))))
        .isInstanceOfSatisfying(ProbeFailure.class, f -> {
          assertThat(f.reason()).isEqualTo(FallbackReason.LIBRARY_MISSING);
          assertThat(f.getMessage()).contains("NVLink probe skipped");
        });
    assertThatThrownBy(() -> noDriver.offer(link(List.of(), List.of(1))))
        .isInstanceOfSatisfying(ProbeFailure.class,
            f -> assertThat(f.reason()).isEqualTo(FallbackReason.NO_GPU));
  }
}
