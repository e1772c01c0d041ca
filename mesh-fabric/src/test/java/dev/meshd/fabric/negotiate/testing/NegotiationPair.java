package dev.meshd.fabric.negotiate.testing;

import dev.meshd.fabric.negotiate.LinkContext;
import dev.meshd.fabric.negotiate.LinkEnd;
import dev.meshd.fabric.negotiate.NegotiatedLink;
import dev.meshd.fabric.negotiate.NegotiationException;
import dev.meshd.fabric.negotiate.NegotiationSettings;
import dev.meshd.fabric.negotiate.TransportNegotiator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs one negotiation between two negotiators over a {@link MemoryPeerChannels} pair: the
 * downstream on a virtual thread of its own, the upstream on the caller's. Returns both ends'
 * results and how long the upstream took.
 */
public final class NegotiationPair {

  private NegotiationPair() {}

  /** What both ends returned. */
  public record Outcome(
      NegotiatedLink upstream,
      Optional<NegotiatedLink> downstream,
      Optional<Throwable> downstreamFailure,
      Duration elapsed,
      MemoryPeerChannels channels) {}

  public static Outcome run(TransportNegotiator up, TransportNegotiator down, LinkEnd upEnd,
      LinkEnd downEnd) throws Exception {
    return run(up, down, upEnd, downEnd, Optional.empty(), up.settings(),
        MemoryPeerChannels.pair());
  }

  public static Outcome run(TransportNegotiator up, TransportNegotiator down, LinkEnd upEnd,
      LinkEnd downEnd, Optional<String> forced, NegotiationSettings settings,
      MemoryPeerChannels channels) throws Exception {
    CompletableFuture<NegotiatedLink> downstream = new CompletableFuture<>();
    Thread.ofVirtual().name("test-downstream").start(() -> {
      try {
        downstream.complete(down.respond(channels.downstream(), downEnd).link());
      } catch (NegotiationException | InterruptedException | RuntimeException e) {
        downstream.completeExceptionally(e);
      }
    });
    long start = System.nanoTime();
    NegotiatedLink upstream = up.negotiate(channels.upstream(),
        new LinkContext(upEnd, downEnd, "test/0->1"), forced, settings);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    try {
      return new Outcome(upstream, Optional.of(downstream.get(30, TimeUnit.SECONDS)),
          Optional.empty(), elapsed, channels);
    } catch (ExecutionException e) {
      return new Outcome(upstream, Optional.empty(), Optional.of(e.getCause()), elapsed,
          channels);
    }
  }

  /** An end on {@code host} with GPU 0. */
  public static LinkEnd end(String node, String host) {
    return new LinkEnd(node, host, List.of(0));
  }
}
