package dev.meshd.bench.negotiate;

import dev.meshd.bench.negotiate.TimedTransport.Call;
import dev.meshd.bench.negotiate.TimedTransport.Step;
import dev.meshd.fabric.negotiate.LinkContext;
import dev.meshd.fabric.negotiate.LinkEnd;
import dev.meshd.fabric.negotiate.NegotiatedLink;
import dev.meshd.fabric.negotiate.NegotiationSettings;
import dev.meshd.fabric.negotiate.TransportNegotiator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One negotiation between two {@link TransportNegotiator}s, timed: the downstream answers on a
 * virtual thread of its own, the upstream leads on the caller's; the clock runs from just before
 * the upstream's {@code negotiate} to its return (the downstream's acknowledgement received).
 * Holds the link both ends agreed on and every transport call with its timestamps. Immutable.
 *
 * @param link what the upstream returned (the downstream returned an equal one)
 * @param startNanos {@link System#nanoTime()} before {@code negotiate}
 * @param endNanos after it returned
 * @param calls the transports' calls during this negotiation, from {@link TimedTransport}
 */
public record NegotiationSample(NegotiatedLink link, long startNanos, long endNanos,
    List<Call> calls) {

  /** The upstream end of every bench link. */
  public static final LinkEnd UPSTREAM = new LinkEnd("bench-up", "host-a", List.of(0));
  /** The downstream end; on another host, as two agents on two machines would be. */
  public static final LinkEnd DOWNSTREAM = new LinkEnd("bench-down", "host-b", List.of(0));

  public NegotiationSample {
    calls = List.copyOf(calls);
  }

  /**
   * Negotiates one link and checks that both ends hold the same result.
   *
   * @param log the log both negotiators' {@link TimedTransport}s write to; drained first
   * @throws IllegalStateException when the downstream failed or holds another link
   */
  public static NegotiationSample take(TransportNegotiator upstream,
      TransportNegotiator downstream, NegotiationSettings settings, TimedTransport.Log log)
      throws InterruptedException {
    log.drain();
    MemoryPeerChannels pair = MemoryPeerChannels.pair();
    CompletableFuture<NegotiatedLink> answered = new CompletableFuture<>();
    Thread.ofVirtual().name("bench-downstream").start(() -> {
      try {
        answered.complete(downstream.respond(pair.downstream(), DOWNSTREAM).link());
      } catch (Exception e) {
        answered.completeExceptionally(e);
      }
    });
    long start = System.nanoTime();
    NegotiatedLink link = upstream.negotiate(pair.upstream(),
        new LinkContext(UPSTREAM, DOWNSTREAM, "bench/0->1"), Optional.empty(), settings);
    long end = System.nanoTime();
    NegotiatedLink theirs;
    try {
      theirs = answered.get(settings.messageTimeout().toSeconds() + 5, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the downstream end failed: " + e, e);
    }
    if (!theirs.equals(link)) {
      throw new IllegalStateException("the two ends disagree: upstream " + link.summary()
          + ", downstream " + theirs.summary());
    }
    return new NegotiationSample(link, start, end, log.drain());
  }

  /** From start to the upstream's result. */
  public double totalMillis() {
    return (endNanos - startNanos) / 1e6;
  }

  /** The first call of {@code group}'s {@code step} on {@code end} ({@code upstream}, ...). */
  public Optional<Call> call(String end, String group, Step step) {
    return TimedTransport.Log.find(calls, end, group, step);
  }

  /** The upstream's call of {@code group}'s probe, which must have happened. */
  public Call probe(String group) {
    return call("upstream", group, Step.PROBE).orElseThrow(() -> new IllegalStateException(
        "no " + group + " probe in this negotiation: " + link.summary()));
  }

  /** From start to {@code nanos}, in milliseconds. */
  public double sinceStart(long nanos) {
    return (nanos - startNanos) / 1e6;
  }
}
