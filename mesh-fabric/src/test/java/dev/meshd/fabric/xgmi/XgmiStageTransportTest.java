package dev.meshd.fabric.xgmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.fabric.negotiate.EndpointData;
import dev.meshd.fabric.negotiate.LinkContext;
import dev.meshd.fabric.negotiate.LinkEnd;
import dev.meshd.fabric.negotiate.TransportEndpoint;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reasons the XGMI transport gives before any probe: no HIP, no GPU, a bad endpoint. */
class XgmiStageTransportTest {

  @TempDir Path libs;

  private static LinkContext link(List<Integer> upstreamGpus, List<Integer> downstreamGpus) {
    return new LinkContext(new LinkEnd("node1", "host-a", upstreamGpus),
        new LinkEnd("node2", "host-a", downstreamGpus), "pp/0->1");
  }

  @Test
  void withoutHipOrAGpuItSaysWhy() {
    XgmiStageTransport noHip =
        new XgmiStageTransport(new XgmiProbe(libs.resolve("libamdhip64-absent.so").toString()));

    assertThat(noHip.group()).isEqualTo("xgmi");
    assertThatThrownBy(() -> noHip.offer(link(List.of(0), List.of(1))))
        .isInstanceOfSatisfying(ProbeFailure.class, f -> {
          assertThat(f.reason()).isEqualTo(FallbackReason.LIBRARY_MISSING);
          assertThat(f.getMessage()).endsWith("no HIP runtime (ROCm) on this node; XGMI probe "
              + "skipped");
        });
    assertThatThrownBy(() -> noHip.offer(link(List.of(), List.of(1))))
        .isInstanceOfSatisfying(ProbeFailure.class,
            f -> assertThat(f.reason()).isEqualTo(FallbackReason.NO_GPU));
  }

  @Test
  void offersItsStagesGpuAsXgmiAndRefusesAnEndpointThatIsNotAGpuIndex() throws Exception {
    try (FakeHip hip = FakeHip.compile(libs, "libfake-hip-transport.so")) {
      XgmiStageTransport transport = new XgmiStageTransport(new XgmiProbe(hip.path()));

      TransportEndpoint offer = transport.offer(link(List.of(3), List.of(1)));

      assertThat(offer.fabricClass()).isEqualTo(FabricClass.XGMI);
      assertThat(offer.data().toUtf8()).isEqualTo("3");
      TransportEndpoint garbage =
          new TransportEndpoint(FabricClass.XGMI, EndpointData.ofUtf8("gpu-one"));
      assertThatThrownBy(() -> transport.accept(garbage, link(List.of(1), List.of(0))))
          .isInstanceOfSatisfying(ProbeFailure.class, f -> assertThat(f).hasMessage(
              "transport_error: XGMI endpoint data \"gpu-one\" (expected: a GPU index)"));
    }
  }
}
