package dev.meshd.fabric.nvlink.internal;

import dev.meshd.fabric.peercopy.GpuCallException;
import dev.meshd.fabric.probe.FallbackReason;

/**
 * A CUDA driver function returned an error, or the library lacks a function meshd needs.
 *
 * <p>The message names the function and the driver's own text, e.g. {@code cuInit: no
 * CUDA-capable device is detected (100)}, which is what operators search for; the fallback
 * reason follows from the code. Immutable.
 */
public final class CudaException extends GpuCallException {
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

  public CudaException(String function, int code, String text) {
    super(function, code, text, reason(code));
  }

  private static FallbackReason reason(int code) {
    return switch (code) {
      case NO_DEVICE, INVALID_DEVICE -> FallbackReason.NO_GPU;
      case PEER_ACCESS_UNSUPPORTED, TOO_MANY_PEERS -> FallbackReason.NO_PEER_ACCESS;
      case MISSING_FUNCTION -> FallbackReason.LIBRARY_MISSING;
      default -> FallbackReason.TRANSPORT_ERROR;
    };
  }
}
