package dev.meshd.fabric.negotiate;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.fabric.probe.ProbeResult;
import java.util.Objects;
import java.util.Optional;

/**
 * One transport group as a negotiation went through it, in order: skipped (an end could not
 * offer or accept it), failed (its probe failed) or succeeded. Immutable.
 *
 * @param transport the {@code fabric.order} group
 * @param state what happened
 * @param fallback why it was not used; empty exactly when it succeeded
 * @param measured the probe's figures; present exactly when it succeeded
 * @param fabricClass the class the downstream accepted it as; empty when skipped
 */
public record TransportTry(
    String transport,
    State state,
    Optional<Fallback> fallback,
    Optional<ProbeResult> measured,
    Optional<FabricClass> fabricClass) {

  /** What happened to one transport group. */
  public enum State {
    /** Not tried: one end could not offer or accept it. */
    SKIPPED,
    /** Tried: the probe failed. */
    FAILED,
    /** Tried: the probe passed. */
    SUCCEEDED
  }

  public TransportTry {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(fallback, "fallback");
    Objects.requireNonNull(measured, "measured");
    Objects.requireNonNull(fabricClass, "fabricClass");
    if (fallback.isPresent() == (state == State.SUCCEEDED)) {
      throw new IllegalArgumentException(
          "fallback: " + fallback + " for " + state + " (expected: absent exactly on success)");
    }
    if (measured.isPresent() != (state == State.SUCCEEDED)) {
      throw new IllegalArgumentException(
          "measured: " + measured + " for " + state + " (expected: present exactly on success)");
    }
  }

  static TransportTry skipped(Fallback fallback) {
    return new TransportTry(fallback.transport(), State.SKIPPED, Optional.of(fallback),
        Optional.empty(), Optional.empty());
  }

  static TransportTry failed(Fallback fallback, FabricClass fabricClass) {
    return new TransportTry(fallback.transport(), State.FAILED, Optional.of(fallback),
        Optional.empty(), Optional.of(fabricClass));
  }

  static TransportTry succeeded(String transport, ProbeResult measured, FabricClass fabricClass) {
    return new TransportTry(transport, State.SUCCEEDED, Optional.empty(), Optional.of(measured),
        Optional.of(fabricClass));
  }
}
