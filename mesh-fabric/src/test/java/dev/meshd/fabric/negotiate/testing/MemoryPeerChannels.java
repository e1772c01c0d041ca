package dev.meshd.fabric.negotiate.testing;

import dev.meshd.fabric.negotiate.NegotiationMessage;
import dev.meshd.fabric.negotiate.PeerChannel;
import dev.meshd.fabric.negotiate.PeerGoneException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Two {@link PeerChannel}s joined in memory, with faults to inject: an end that vanishes after
 * sending a number of messages (its peer then sees the path end, as when a process dies), and a
 * rewrite of what one end sends (a peer that lies). Every message sent is recorded in order.
 * Thread-safe.
 */
public final class MemoryPeerChannels {

  private final End upstream;
  private final End downstream;
  private final List<NegotiationMessage> sent = new CopyOnWriteArrayList<>();

  private MemoryPeerChannels() {
    upstream = new End("upstream");
    downstream = new End("downstream");
    upstream.other = downstream;
    downstream.other = upstream;
  }

  public static MemoryPeerChannels pair() {
    return new MemoryPeerChannels();
  }

  public End upstream() {
    return upstream;
  }

  public End downstream() {
    return downstream;
  }

  /** Every message either end sent, in the order sent. */
  public List<NegotiationMessage> sent() {
    return List.copyOf(sent);
  }

  /** What ends a queue: the other end closed ({@code reason} null) or failed. */
  private record Ended(String reason) {}

  /** One end of the pair. */
  public final class End implements PeerChannel {
    private final String name;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private End other;
    private volatile boolean ended;
    private volatile int vanishAfter = Integer.MAX_VALUE;
    private volatile UnaryOperator<NegotiationMessage> rewrite = UnaryOperator.identity();
    private int sentCount; // by the session thread only
    private volatile String endedHow = "";

    private End(String name) {
      this.name = name;
    }

    /** After sending {@code messages} messages this end dies: nothing more goes either way. */
    public End vanishAfterSending(int messages) {
      this.vanishAfter = messages;
      return this;
    }

    /** Every message this end sends goes through {@code operator} first. */
    public End rewriteSent(UnaryOperator<NegotiationMessage> operator) {
      this.rewrite = Objects.requireNonNull(operator, "operator");
      return this;
    }

    /** How this end was ended: {@code closed}, {@code aborted: <reason>}, or empty while open. */
    public String endedHow() {
      return endedHow;
    }

    @Override
    public void send(NegotiationMessage message) throws PeerGoneException {
      if (ended) {
        throw new PeerGoneException(name + " path already ended");
      }
      if (other.ended) {
        throw new PeerGoneException("connection reset");
      }
      NegotiationMessage actual = rewrite.apply(message);
      sent.add(actual);
      other.inbox.add(actual);
      sentCount++;
      if (sentCount >= vanishAfter) {
        vanish();
      }
    }

    @Override
    public NegotiationMessage receive(Duration timeout)
        throws PeerGoneException, InterruptedException {
      if (ended) {
        throw new PeerGoneException(name + " path already ended");
      }
      Object next = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (next == null) {
        throw new PeerGoneException("nothing within " + timeout.toMillis() + "ms");
      }
      if (next instanceof Ended how) {
        inbox.add(how); // stays ended for later reads
        throw new PeerGoneException(how.reason() == null ? "the peer closed the stream"
            : "the peer failed the stream: " + how.reason());
      }
      return (NegotiationMessage) next;
    }

    @Override
    public void close() {
      end("closed", new Ended(null));
    }

    @Override
    public void abort(String reason) {
      end("aborted: " + reason, new Ended(reason));
    }

    private void vanish() {
      // A dead process says nothing: its peer sees the connection drop.
      end("vanished", new Ended("connection lost"));
    }

    private synchronized void end(String how, Ended marker) {
      if (ended) {
        return;
      }
      ended = true;
      endedHow = how;
      other.inbox.add(marker);
    }
  }
}
