package dev.meshd.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.bench.FabricNegotiationBench.Report;
import dev.meshd.bench.negotiate.FirstTransport;
import dev.meshd.bench.negotiate.NegotiationSample;
import dev.meshd.core.policy.LinkState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code mesh-bench fabric-negotiate} runs end to end with tiny probes: every negotiation ends
 * on QUIC, each failure of the double is the reason recorded, and the figures are printed. No
 * timing is asserted: the figures belong in docs/benchmarks.md, not in a test.
 */
class FabricNegotiationBenchTest {

  @Test
  void runsWithTinyProbesAndEachFailureFallsBackToQuicWithItsReason() throws Exception {
    String[] args = {"--probes", "2x4,1x1", "--pings", "2", "--warm", "2",
        "--fallback-probe", "1x4", "--fallback-deadline-ms", "300", "--fallback-runs", "1"};
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    Report report = FabricNegotiationBench.run(NegotiationBenchOptions.parse(args), args,
        new PrintStream(printed, true, StandardCharsets.UTF_8));

    // The first probe: one cold and two warm; the second: two warm.
    assertThat(report.negotiations()).hasSize(5)
        .allSatisfy(s -> assertThat(s.link().transport()).isEqualTo("quic"));
    assertThat(report.quicOnly()).hasSize(1);
    assertThat(report.fallbacks()).hasSize(FirstTransport.all().size());
    for (FirstTransport first : FirstTransport.all()) {
      NegotiationSample sample = report.fallbacks().get(first.label()).getFirst();
      assertThat(sample.link().transport()).isEqualTo("quic");
      assertThat(FabricNegotiationBench.fallback(sample).reason()).isIn(first.reasons());
      // An absence leaves the link UP, a fault DEGRADED.
      assertThat(sample.link().state()).isEqualTo(
          FabricNegotiationBench.fallback(sample).isFault() ? LinkState.DEGRADED : LinkState.UP);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("cold (1st in JVM)", "warm p90", "(d) payload corrupted", "(e) libfabric",
            "deadline + ");
  }

  @Test
  void aMalformedProbeNamesTheOptionAndTheExpectedForm() {
    assertThatThrownBy(() -> NegotiationBenchOptions.parse(new String[] {"--probes", "64"}))
        .hasMessageContaining("--probes: 64 (expected: MESSAGESxKIB");
    assertThatThrownBy(() -> NegotiationBenchOptions.parse(new String[] {"--warm", "0"}))
        .hasMessageContaining("--warm: 0 (expected: a whole number >= 1)");
  }
}
