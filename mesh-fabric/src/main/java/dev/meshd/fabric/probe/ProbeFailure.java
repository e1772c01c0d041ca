package dev.meshd.fabric.probe;

import java.util.Objects;

/**
 * A transport try that did not succeed: the reason (for metrics and fallback rules) and a detail
 * in words for operators ("fi_av_insert returned -22 (Invalid argument)").
 */
public final class ProbeFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final FallbackReason reason;

  public ProbeFailure(FallbackReason reason, String detail) {
    this(reason, detail, null);
  }

  public ProbeFailure(FallbackReason reason, String detail, Throwable cause) {
    super(Objects.requireNonNull(reason, "reason").label() + ": "
        + Objects.requireNonNull(detail, "detail"), cause);
    this.reason = reason;
  }

  public FallbackReason reason() {
    return reason;
  }
}
