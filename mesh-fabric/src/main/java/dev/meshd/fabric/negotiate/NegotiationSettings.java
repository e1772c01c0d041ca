package dev.meshd.fabric.negotiate;

import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * The deadlines of a negotiation, as the upstream sets them (the downstream follows the probe
 * spec of the offer and its own prepare and message deadlines). Immutable.
 *
 * @param probe what every try sends; {@code probe.deadline()} is the deadline of one try
 * @param prepareTimeout of one {@code offer} or {@code accept} call
 * @param messageTimeout how long an end waits for a protocol message beyond the work the other
 *     end is known to be doing (the peer's probe, its accept calls)
 * @param overallDeadline of the whole negotiation on the upstream: a try starts only while time
 *     is left, and gets at most what is left
 */
public record NegotiationSettings(
    ProbeSpec probe, Duration prepareTimeout, Duration messageTimeout, Duration overallDeadline) {

  /** Longest try a downstream accepts in an offer: a responder is not held longer for a peer. */
  public static final Duration MAX_TRY_DEADLINE = Duration.ofSeconds(60);

  public NegotiationSettings {
    Objects.requireNonNull(probe, "probe");
    requirePositive(prepareTimeout, "prepareTimeout");
    requirePositive(messageTimeout, "messageTimeout");
    requirePositive(overallDeadline, "overallDeadline");
    if (probe.deadline().compareTo(MAX_TRY_DEADLINE) > 0) {
      throw new IllegalArgumentException("probe.deadline: " + probe.deadline()
          + " (expected: at most " + MAX_TRY_DEADLINE + ")");
    }
  }

  /**
   * The defaults: the standard probe (64 MiB, 5 s per try); 2 s to prepare (an endpoint opens
   * in milliseconds; more means the library is stuck); 5 s for a message beyond known work (a
   * loaded peer on another continent still answers well within it); 30 s in all (five groups at
   * their full try deadline would need 25 s plus preparation, and a stage link that takes longer
   * to agree is better reported as failed and renegotiated).
   */
  public static NegotiationSettings defaults() {
    return new NegotiationSettings(ProbeSpec.standard(), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  public NegotiationSettings withProbe(ProbeSpec newProbe) {
    return new NegotiationSettings(newProbe, prepareTimeout, messageTimeout, overallDeadline);
  }

  public NegotiationSettings withOverallDeadline(Duration newOverall) {
    return new NegotiationSettings(probe, prepareTimeout, messageTimeout, newOverall);
  }

  public NegotiationSettings withPrepareTimeout(Duration newPrepare) {
    return new NegotiationSettings(probe, newPrepare, messageTimeout, overallDeadline);
  }

  public NegotiationSettings withMessageTimeout(Duration newMessage) {
    return new NegotiationSettings(probe, prepareTimeout, newMessage, overallDeadline);
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }
}
