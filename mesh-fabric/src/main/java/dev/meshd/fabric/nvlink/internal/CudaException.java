package dev.meshd.fabric.nvlink.internal;

/**
 * A CUDA driver function returned an error, or the library lacks a function meshd needs.
 *
 * <p>The message names the function and the driver's own text, e.g. {@code cuInit: no
 * CUDA-capable device is detected (100)}, which is what operators search for. Immutable.
 */
public final class CudaException extends Exception {
  private static final long serialVersionUID = 1L;

  /** {@code CUDA_ERROR_NO_DEVICE}: the driver is installed but sees no GPU. */
  public static final int NO_DEVICE = 100;

  /** {@code CUDA_ERROR_INVALID_DEVICE}: no GPU with that ordinal. */
  public static final int INVALID_DEVICE = 101;

  /** {@code CUDA_ERROR_PEER_ACCESS_UNSUPPORTED}: the two GPUs cannot be peers. */
  public static final int PEER_ACCESS_UNSUPPORTED = 217;

  /** {@code CUDA_ERROR_PEER_ACCESS_ALREADY_ENABLED}: not a failure for meshd. */
  public static final int PEER_ACCESS_ALREADY_ENABLED = 704;

  /** {@code CUDA_ERROR_TOO_MANY_PEERS}: the GPU has as many peers as its hardware allows. */
  public static final int TOO_MANY_PEERS = 711;

  /** Code used when the function is missing from the library (no CUDA code exists for it). */
  public static final int MISSING_FUNCTION = -1;

  private final String function;
  private final int code;

  public CudaException(String function, int code, String text) {
    super(function + ": " + text + (code >= 0 ? " (" + code + ")" : ""), null, false, false);
    this.function = function;
    this.code = code;
  }

  /** The CUDA function, e.g. {@code cuMemcpyPeer}. */
  public String function() {
    return function;
  }

  /** The {@code CUresult}, or {@link #MISSING_FUNCTION}. */
  public int code() {
    return code;
  }
}
