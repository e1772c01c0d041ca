package dev.meshd.agent.signal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.LongStream;

/**
 * A router's signal-path metrics: {@code meshd_router_signal_age_seconds} (the age each runtime
 * signal had on arrival, as its sender reported it), {@code meshd_signal_batches_received_total},
 * and {@code meshd_signal_streams{direction="in"}}. Thread-safe.
 */
final class SignalMetrics {

  private final Timer age;
  private final Counter batches;

  SignalMetrics(MeterRegistry registry, IntSupplier openStreams) {
    this.age = Timer.builder("meshd.router.signal.age")
        .description("Age of each runtime signal when it reached this router, by the sender's "
            + "report (network transit excluded: clocks of two hosts are never compared)")
        .publishPercentileHistogram()
        // Bounds the histogram's buckets to the range that matters: a signal older than 30 s is
        // stale under any sane router.stale-after.
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
    this.batches = Counter.builder("meshd.signal.batches.received")
        .description("Signal batches this router received, heartbeats included")
        .register(registry);
    Gauge.builder("meshd.signal.streams", openStreams::getAsInt)
        .description("Open signal streams: in, from the agents this router follows")
        .tag("direction", "in")
        .register(registry);
  }

  void onBatch(LongStream ageMicros) {
    batches.increment();
    ageMicros.forEach(micros -> age.record(micros, TimeUnit.MICROSECONDS));
  }
}
