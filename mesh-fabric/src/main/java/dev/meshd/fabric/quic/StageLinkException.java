package dev.meshd.fabric.quic;

import dev.meshd.fabric.probe.FallbackReason;
import java.io.IOException;
import java.util.Objects;

/**
 * A stage link could not be made or has ended. The {@link #reason()} uses the fallback
 * vocabulary so that a failed link and a failed probe are counted alike.
 */
public final class StageLinkException extends IOException {
  private static final long serialVersionUID = 1L;

  private final FallbackReason reason;

  public StageLinkException(FallbackReason reason, String message) {
    this(reason, message, null);
  }

  public StageLinkException(FallbackReason reason, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public FallbackReason reason() {
    return reason;
  }
}
