package dev.meshd.core.gpu.internal;

/**
 * An NVML function returned an error, or the library lacks a function meshd needs.
 *
 * <p>The message names the function and NVML's own text, e.g. {@code nvmlInit_v2: Driver Not
 * Loaded (9)}, which is what operators search for. Immutable.
 */
public final class NvmlException extends Exception {

  /** {@code NVML_ERROR_INVALID_ARGUMENT}: e.g. a link number past the device's last link. */
  public static final int INVALID_ARGUMENT = 2;

  /** {@code NVML_ERROR_NOT_SUPPORTED}: the device cannot report this figure. */
  public static final int NOT_SUPPORTED = 3;

  /** Code used when the function is missing from the library (no NVML code exists for it). */
  public static final int MISSING_FUNCTION = -1;

  private final String function;
  private final int code;

  public NvmlException(String function, int code, String text) {
    super(function + ": " + text + (code >= 0 ? " (" + code + ")" : ""), null, false, false);
    this.function = function;
    this.code = code;
  }

  /** The NVML function, e.g. {@code nvmlDeviceGetUUID}. */
  public String function() {
    return function;
  }

  /** The {@code nvmlReturn_t}, or {@link #MISSING_FUNCTION}. */
  public int code() {
    return code;
  }
}
