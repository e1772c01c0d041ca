package dev.meshd.fabric.negotiate;

import dev.meshd.fabric.probe.ProbeResult;
import java.util.Objects;

/** Step 3, upstream to downstream: what one try's payload probe came to. Immutable. */
public sealed interface TryOutcome extends NegotiationMessage {

  String transport();

  /** The probe passed: the link uses this transport. */
  record Succeeded(String transport, ProbeResult measured) implements TryOutcome {
    public Succeeded {
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(measured, "measured");
    }
  }

  /** The probe failed (or was cut at its deadline). */
  record Failed(Fallback fallback) implements TryOutcome {
    public Failed {
      Objects.requireNonNull(fallback, "fallback");
    }

    @Override
    public String transport() {
      return fallback.transport();
    }
  }
}
