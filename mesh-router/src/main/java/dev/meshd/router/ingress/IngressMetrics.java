package dev.meshd.router.ingress;

import dev.meshd.router.ScoredTarget;
import dev.meshd.router.route.RouteDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The router's metrics (names in DESIGN.md): requests by model, target and outcome; decision
 * latency by strategy; retries; hedges by result; the last score of each target per model.
 * Thread-safe.
 */
public final class IngressMetrics {

  /** How a proxied request ended, the {@code outcome} label. */
  public enum Outcome {
    OK, CLIENT_ERROR, UPSTREAM_FAILED, BROKEN_STREAM, CLIENT_CANCELLED, ADMISSION_REJECTED,
    TENANT_LIMITED, UNKNOWN_MODEL, NO_TARGET, BAD_REQUEST;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final MeterRegistry registry;
  private final Counter retries;
  private final Counter hedgesWon;
  private final Counter hedgesLost;
  private final ConcurrentHashMap<String, AtomicLong> scores = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> decisionTimers = new ConcurrentHashMap<>();

  public IngressMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.retries = Counter.builder("meshd.router.retries")
        .description("Attempts on a next target after a failure before the first byte")
        .register(registry);
    this.hedgesWon = hedges("won");
    this.hedgesLost = hedges("lost");
  }

  private Counter hedges(String result) {
    return Counter.builder("meshd.router.hedges")
        .description("Hedged requests by which attempt answered first: won (the hedge) or"
            + " lost (the first attempt; the hedge was wasted work)")
        .tag("result", result)
        .register(registry);
  }

  void request(String model, String target, Outcome outcome) {
    Counter.builder("meshd.router.requests")
        .description("Requests through the ingress by model, target node and outcome")
        .tag("model", model).tag("target", target).tag("outcome", outcome.label())
        .register(registry).increment();
  }

  /** Records a decision's latency and the scores of the targets it ranked. */
  public void decision(RouteDecision decision) {
    // One timer per strategy, built once: this runs on every request.
    decisionTimers.computeIfAbsent(decision.strategy(), strategy ->
        Timer.builder("meshd.router.decision")
            .description("Time to choose targets (filters and scoring)")
            .tag("strategy", strategy)
            .publishPercentileHistogram()
            .minimumExpectedValue(java.time.Duration.ofNanos(500))
            .maximumExpectedValue(java.time.Duration.ofMillis(50))
            .register(registry))
        .record(decision.elapsed());
    for (ScoredTarget t : decision.ranked()) {
      String model = decision.request().model();
      String node = t.candidate().nodeId();
      scores.computeIfAbsent(model + "\u0000" + node, k -> {
        AtomicLong bits = new AtomicLong();
        Gauge.builder("meshd.router.target.score", bits,
                b -> Double.longBitsToDouble(b.get()))
            .description("The last score of the target for the model (higher is better)")
            .tag("model", model).tag("target", node)
            .register(registry);
        return bits;
      }).set(Double.doubleToLongBits(t.score()));
    }
  }

  void retries(int n) {
    if (n > 0) {
      retries.increment(n);
    }
  }

  void hedge(boolean hedgeWon) {
    (hedgeWon ? hedgesWon : hedgesLost).increment();
  }
}
