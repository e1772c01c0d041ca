package dev.meshd.fabric.negotiate;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.core.policy.StageLink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one negotiation, as both ends hold it: the transport chosen (if any) with its
 * measured bandwidth and RTT, the link's state, and every transport group in the order it was
 * gone through. {@link #toLinkStatus()} is what a placement's status stores. Immutable.
 *
 * @param transport the group in use; empty when {@link LinkState#FAILED}
 * @param fabricClass its class, as the downstream accepted it; empty when failed
 * @param bytesPerSecond measured by the winning probe; 0 when failed
 * @param rtt measured by the winning probe; zero when failed
 * @param state {@link LinkState#UP}, {@link LinkState#DEGRADED} (a faster transport was there
 *     and failed) or {@link LinkState#FAILED}; never pending
 * @param reason why the state is what it is; empty when UP
 * @param tries the groups gone through, in order, the chosen one last
 * @param negotiatedAt when the upstream decided, by its clock
 */
public record NegotiatedLink(
    String transport,
    Optional<FabricClass> fabricClass,
    double bytesPerSecond,
    Duration rtt,
    LinkState state,
    String reason,
    List<TransportTry> tries,
    Instant negotiatedAt) {

  public NegotiatedLink {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(fabricClass, "fabricClass");
    Objects.requireNonNull(rtt, "rtt");
    Objects.requireNonNull(state, "state");
    reason = Objects.requireNonNullElse(reason, "");
    tries = List.copyOf(Objects.requireNonNull(tries, "tries"));
    Objects.requireNonNull(negotiatedAt, "negotiatedAt");
    if (state == LinkState.PENDING) {
      throw new IllegalArgumentException("state: PENDING (expected: the outcome of a negotiation)");
    }
    if (transport.isEmpty() != (state == LinkState.FAILED)) {
      throw new IllegalArgumentException(
          "transport: \"" + transport + "\" for " + state + " (expected: empty exactly when FAILED)");
    }
    if (!(bytesPerSecond >= 0) || Double.isInfinite(bytesPerSecond)) {
      throw new IllegalArgumentException(
          "bytesPerSecond: " + bytesPerSecond + " (expected: finite, >= 0)");
    }
  }

  /** Whether activations can flow: UP or DEGRADED. */
  public boolean isUsable() {
    return state == LinkState.UP || state == LinkState.DEGRADED;
  }

  /** Why each group before the chosen one (all of them when failed) was not used, in order. */
  public List<Fallback> fallbacks() {
    return tries.stream().flatMap(t -> t.fallback().stream()).toList();
  }

  /** The status a placement's link stores (and {@code LinkStatus} on the wire carries). */
  public LinkStatus toLinkStatus() {
    return new LinkStatus(
        transport,
        fabricClass.map(Enum::name).orElse(""),
        Math.round(bytesPerSecond),
        rtt.toNanos() / 1_000,
        state,
        reason,
        fallbacks().stream().map(Fallback::text).toList(),
        negotiatedAt);
  }

  /** The placement link {@code fromStage -> toStage} with this status. */
  public StageLink toStageLink(int fromStage, int toStage) {
    return new StageLink(fromStage, toStage, toLinkStatus());
  }

  /** One line for logs: {@code quic QUIC 1.2e9 B/s rtt PT0.00008S UP}. */
  public String summary() {
    if (state == LinkState.FAILED) {
      return "FAILED: " + reason;
    }
    return String.format(java.util.Locale.ROOT, "%s (%s) %.3g B/s, rtt %d µs, %s%s", transport,
        fabricClass.map(Enum::name).orElse("?"), bytesPerSecond, rtt.toNanos() / 1_000, state,
        reason.isEmpty() ? "" : " (" + reason + ")");
  }
}
