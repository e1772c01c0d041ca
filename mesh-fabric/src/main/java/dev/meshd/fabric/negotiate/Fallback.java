package dev.meshd.fabric.negotiate;

import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Why one transport group was not used for a link: its reason (a stable label for metrics and
 * rules) and a detail in words. Immutable.
 *
 * <p>Reasons fall in two kinds. An <em>absence</em> (the transport is not there: not offered,
 * not the same host, no peer access, no GPU, library or provider missing) is expected, and a link
 * that falls back past one is still {@code UP}. A <em>fault</em> (the transport is there and
 * failed: address insert failed, connect failed, peer rejected, probe timeout, checksum
 * mismatch, transport error) makes the link {@code DEGRADED}: something faster should have
 * worked.
 *
 * @param transport the {@code fabric.order} group, e.g. {@code rdma}
 * @param reason why
 * @param detail in words, one line; may be empty
 */
public record Fallback(String transport, FallbackReason reason, String detail) {

  private static final Set<FallbackReason> ABSENCES = EnumSet.of(
      FallbackReason.NOT_OFFERED, FallbackReason.NOT_SAME_HOST, FallbackReason.NO_PEER_ACCESS,
      FallbackReason.NO_GPU, FallbackReason.LIBRARY_MISSING, FallbackReason.PROVIDER_MISSING);

  public Fallback {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(reason, "reason");
    detail = oneLine(Objects.requireNonNullElse(detail, ""));
  }

  /** The fallback a transport reported by throwing {@code failure}. */
  public static Fallback of(String transport, ProbeFailure failure) {
    return new Fallback(transport, failure.reason(), detailOf(failure));
  }

  /** Whether the transport was there and failed, rather than absent (see the class comment). */
  public boolean isFault() {
    return !ABSENCES.contains(reason);
  }

  /** {@code rdma: provider_missing: node2 has no verbs provider}, as link status shows it. */
  public String text() {
    return detail.isEmpty()
        ? transport + ": " + reason.label()
        : transport + ": " + reason.label() + ": " + detail;
  }

  /** The reason whose stable label is {@code label}, if this build knows it. */
  public static Optional<FallbackReason> reasonOfLabel(String label) {
    for (FallbackReason reason : FallbackReason.values()) {
      if (reason.label().equals(label)) {
        return Optional.of(reason);
      }
    }
    return Optional.empty();
  }

  /**
   * A fallback read from a peer: an unknown label (a newer peer's) becomes {@code
   * transport_error}, with the label kept in the detail.
   */
  public static Fallback fromLabel(String transport, String label, String detail) {
    Optional<FallbackReason> known = reasonOfLabel(label);
    if (known.isPresent()) {
      return new Fallback(transport, known.get(), detail);
    }
    String text = Objects.requireNonNullElse(detail, "");
    return new Fallback(transport, FallbackReason.TRANSPORT_ERROR,
        text.isEmpty() ? label : label + ": " + text);
  }

  private static String detailOf(ProbeFailure failure) {
    // ProbeFailure's message is "<label>: <detail>"; keep the detail only.
    String message = Objects.requireNonNullElse(failure.getMessage(), "");
    String prefix = failure.reason().label() + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
