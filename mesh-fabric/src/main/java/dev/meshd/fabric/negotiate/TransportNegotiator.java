package dev.meshd.fabric.negotiate;

import dev.meshd.fabric.negotiate.internal.TransportCalls;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Agrees a transport for one stage link with the agent at the other end, and proves it with a
 * payload probe: {@link #negotiate} on the upstream end (it sends activations), {@link #respond}
 * on the downstream end. Both ends return the same {@link NegotiatedLink}. docs/fabric.md,
 * "Negotiation protocol", describes the messages, the order, the deadlines and the fallback
 * rules; {@link LinkDecision} holds the rules.
 *
 * <p>This node's transports come as a list of {@link StageTransport}s, used in the order of
 * {@code fabric.order} with {@code quic} last ({@link TransportOrder}); a group of the order
 * without a transport is reported as not offered, a transport whose group is not in the order is
 * not used.
 *
 * <p>Threads: each negotiation runs on its caller's thread (a virtual thread in the agent), and
 * each call into a transport on a virtual thread of its own that ends by its deadline (see
 * {@link TransportCalls}). Thread-safe: links are negotiated concurrently; the negotiator keeps
 * no state per negotiation.
 */
public final class TransportNegotiator {

  private final List<String> order;
  private final Map<String, StageTransport> transports;
  private final NegotiationSettings settings;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final Supplier<String> ids;
  private final TransportCalls calls = new TransportCalls();

  private TransportNegotiator(Builder b) {
    this.order = TransportOrder.effective(b.order);
    Map<String, StageTransport> byGroup = new LinkedHashMap<>();
    for (StageTransport transport : b.transports) {
      TransportOrder.requireKnown(transport.group());
      if (byGroup.putIfAbsent(transport.group(), transport) != null) {
        throw new IllegalArgumentException(
            "transports: two for " + transport.group() + " (expected: one per group)");
      }
    }
    Map<String, StageTransport> inOrder = new LinkedHashMap<>();
    for (String group : order) {
      if (byGroup.containsKey(group)) {
        inOrder.put(group, byGroup.get(group));
      }
    }
    this.transports = inOrder;
    this.settings = b.settings;
    this.clock = b.clock;
    this.nanoTime = b.nanoTime;
    this.ids = b.ids;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** This node's order: {@code fabric.order} with {@code quic} last. */
  public List<String> order() {
    return order;
  }

  /** The groups of {@link #order()} this node has a transport for, in that order. */
  public List<String> availableGroups() {
    return List.copyOf(transports.keySet());
  }

  /** Whether this node has any transport at all; without one, no link can be negotiated. */
  public boolean hasTransports() {
    return !transports.isEmpty();
  }

  public Optional<StageTransport> transport(String group) {
    return Optional.ofNullable(transports.get(group));
  }

  public NegotiationSettings settings() {
    return settings;
  }

  /** Calls into transports that have not ended (0 between negotiations, unless one is stuck). */
  public int runningTransportCalls() {
    return calls.running();
  }

  /** Calls into transports that ignored their interrupt at the deadline. */
  public long stuckTransportCalls() {
    return calls.stuck();
  }

  /** {@link #negotiate(PeerChannel, LinkContext, Optional, NegotiationSettings)} with defaults. */
  public NegotiatedLink negotiate(PeerChannel peer, LinkContext link, Optional<String> forced)
      throws InterruptedException {
    return negotiate(peer, link, forced, settings);
  }

  /**
   * Negotiates as the upstream end: offers every group of {@link #order()} (or only {@code
   * forced}), tries what the downstream accepts, and returns the link both ends agreed on. The
   * peer's and the transports' failures end in a FAILED link with the reason, never in an
   * exception. {@code peer} is closed or aborted when this returns.
   *
   * @param link this end as {@code local}; the downstream as its record describes it as {@code
   *     peer} (its answer then says who it is)
   * @param forced only this group, when present
   * @param settings this negotiation's deadlines and probe
   * @throws IllegalArgumentException when {@code forced} is not one of {@link
   *     #availableGroups()}
   * @throws InterruptedException when this thread is interrupted (the agent is stopping); the
   *     peer is told
   */
  public NegotiatedLink negotiate(PeerChannel peer, LinkContext link, Optional<String> forced,
      NegotiationSettings settings) throws InterruptedException {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(forced, "forced");
    Objects.requireNonNull(settings, "settings");
    List<String> groups = forced.map(List::of).orElse(order);
    if (forced.isPresent() && !transports.containsKey(forced.get())) {
      throw new IllegalArgumentException("transport: " + forced.get() + " (expected: one of "
          + link.local().nodeId() + "'s transports: "
          + (transports.isEmpty() ? "none" : String.join(", ", transports.keySet())) + ")");
    }
    return new UpstreamSession(this, calls, peer, link, groups, settings, ids.get()).run();
  }

  /**
   * Takes part as the downstream end: reads the offer, answers, follows the tries, checks the
   * upstream's result against its own derivation and acknowledges it. Returns the link as this
   * end holds it (the same as the upstream's when they agreed) with the upstream's end. {@code
   * peer} is closed or aborted when this returns.
   *
   * @param self this end
   * @throws NegotiationException when no valid offer came (nothing was negotiated)
   * @throws InterruptedException when this thread is interrupted (the agent is stopping)
   */
  public RespondedLink respond(PeerChannel peer, LinkEnd self)
      throws NegotiationException, InterruptedException {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(self, "self");
    return new DownstreamSession(this, calls, peer, self, settings).run();
  }

  Clock clock() {
    return clock;
  }

  long nanoTime() {
    return nanoTime.getAsLong();
  }

  /** Builds a {@link TransportNegotiator}; {@link #build()} names what is missing. */
  public static final class Builder {
    private List<String> order;
    private List<StageTransport> transports = List.of();
    private NegotiationSettings settings = NegotiationSettings.defaults();
    private Clock clock;
    private LongSupplier nanoTime = System::nanoTime;
    private Supplier<String> ids = () -> UUID.randomUUID().toString();

    private Builder() {}

    /** This node's {@code fabric.order}. Required. */
    public Builder order(List<String> value) {
      this.order = List.copyOf(Objects.requireNonNull(value, "order"));
      return this;
    }

    /** The transports this node has, one per group, in any order; default none. */
    public Builder transports(List<? extends StageTransport> value) {
      this.transports = new ArrayList<>(Objects.requireNonNull(value, "transports"));
      return this;
    }

    /** Default {@link NegotiationSettings#defaults()}. */
    public Builder settings(NegotiationSettings value) {
      this.settings = Objects.requireNonNull(value, "settings");
      return this;
    }

    /** Stamps {@link NegotiatedLink#negotiatedAt()}. Required. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Monotonic time for deadlines; default {@link System#nanoTime()}. */
    public Builder nanoTime(LongSupplier value) {
      this.nanoTime = Objects.requireNonNull(value, "nanoTime");
      return this;
    }

    /** Negotiation ids, for logs; default random UUIDs. */
    public Builder ids(Supplier<String> value) {
      this.ids = Objects.requireNonNull(value, "ids");
      return this;
    }

    public TransportNegotiator build() {
      List<String> missing = new ArrayList<>();
      if (order == null) {
        missing.add("order");
      }
      if (clock == null) {
        missing.add("clock");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("TransportNegotiator: missing " + missing);
      }
      return new TransportNegotiator(this);
    }
  }
}
