package dev.meshd.bench.negotiate;

import dev.meshd.fabric.negotiate.NegotiationMessage;
import dev.meshd.fabric.negotiate.PeerChannel;
import dev.meshd.fabric.negotiate.PeerGoneException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Two {@link PeerChannel}s joined in memory: what one end sends, the other receives, in order;
 * closing or aborting an end ends the other's reads after what was sent before. It stands where
 * the agents' {@code FabricService.Negotiate} gRPC stream is, so the bench's figures leave out
 * that hop (five or six messages per negotiation).
 * mesh-fabric's test-jar has a richer pair with fault injection; its test resources (a
 * logback-test.xml that logs INFO to stdout) must not reach the bench's classpath, hence this.
 * Thread-safe.
 */
public final class MemoryPeerChannels {

  private final End upstream = new End("upstream");
  private final End downstream = new End("downstream");

  private MemoryPeerChannels() {
    upstream.other = downstream;
    downstream.other = upstream;
  }

  public static MemoryPeerChannels pair() {
    return new MemoryPeerChannels();
  }

  public PeerChannel upstream() {
    return upstream;
  }

  public PeerChannel downstream() {
    return downstream;
  }

  /** What ends a queue: the other end closed ({@code reason} null) or aborted. */
  private record Ended(String reason) {}

  private static final class End implements PeerChannel {
    private final String name;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private End other;
    private volatile boolean ended;

    End(String name) {
      this.name = name;
    }

    @Override
    public void send(NegotiationMessage message) throws PeerGoneException {
      if (ended || other.ended) {
        throw new PeerGoneException("the " + name + " path has ended");
      }
      other.inbox.add(message);
    }

    @Override
    public NegotiationMessage receive(Duration timeout)
        throws PeerGoneException, InterruptedException {
      Object next = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (next == null) {
        throw new PeerGoneException("nothing within " + timeout.toMillis() + " ms");
      }
      if (next instanceof Ended how) {
        inbox.add(how); // later reads see the same end
        throw new PeerGoneException(how.reason() == null ? "the peer closed the stream"
            : "the peer aborted: " + how.reason());
      }
      return (NegotiationMessage) next;
    }

    @Override
    public void close() {
      end(new Ended(null));
    }

    @Override
    public void abort(String reason) {
      end(new Ended(reason));
    }

    private synchronized void end(Ended marker) {
      if (!ended) {
        ended = true;
        other.inbox.add(marker);
      }
    }
  }
}
