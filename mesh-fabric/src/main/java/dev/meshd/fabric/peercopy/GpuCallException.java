package dev.meshd.fabric.peercopy;

import dev.meshd.fabric.probe.FallbackReason;
import java.util.Objects;

/**
 * A GPU runtime or driver function returned an error, or the library lacks a function meshd
 * needs. The message names the function and the library's own text, e.g. {@code cuInit: no
 * CUDA-capable device is detected (100)}, which is what operators search for; {@link #reason}
 * is the fallback reason a probe reports for it. Immutable.
 */
public class GpuCallException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Code used when the function is missing from the library (no library code exists for it). */
  public static final int MISSING_FUNCTION = -1;

  /** Code used when the function answered, but in a form meshd does not understand. */
  public static final int MALFORMED_ANSWER = -2;

  private final String function;
  private final int code;
  private final FallbackReason reason;

  /**
   * @param function the library function, e.g. {@code hipMemcpyPeer}
   * @param code the library's result code, {@link #MISSING_FUNCTION} or {@link
   *     #MALFORMED_ANSWER}
   * @param text the library's text for the code
   * @param reason what a probe that met this error reports
   */
  public GpuCallException(String function, int code, String text, FallbackReason reason) {
    super(function + ": " + text + (code >= 0 ? " (" + code + ")" : ""), null, false, false);
    this.function = Objects.requireNonNull(function, "function");
    this.code = code;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The library function, e.g. {@code cuMemcpyPeer}. */
  public String function() {
    return function;
  }

  /** The library's result code, {@link #MISSING_FUNCTION} or {@link #MALFORMED_ANSWER}. */
  public int code() {
    return code;
  }

  /** The fallback reason a probe reports for this error. */
  public FallbackReason reason() {
    return reason;
  }
}
