package dev.meshd.fabric.xgmi.internal;

import dev.meshd.fabric.peercopy.GpuCallException;
import dev.meshd.fabric.probe.FallbackReason;

/**
 * A HIP runtime function returned an error, or the library lacks a function meshd needs.
 *
 * <p>The message names the function and {@code hipGetErrorString}'s text, e.g. {@code
 * hipGetDeviceCount: no ROCm-capable device is detected (100)}; the fallback reason follows from
 * the code. The codes are {@code hipError_t}'s from {@code hip_runtime_api.h}, which follow
 * CUDA's numbering. Immutable.
 */
public final class HipException extends GpuCallException {
  private static final long serialVersionUID = 1L;

  /** {@code hipErrorOutOfMemory}. */
  public static final int OUT_OF_MEMORY = 2;

  /** {@code hipErrorInsufficientDriver}: no usable amdgpu kernel driver for this runtime. */
  public static final int INSUFFICIENT_DRIVER = 35;

  /** {@code hipErrorNoDevice}: the runtime is installed but sees no GPU. */
  public static final int NO_DEVICE = 100;

  /** {@code hipErrorInvalidDevice}: no GPU with that ordinal. */
  public static final int INVALID_DEVICE = 101;

  /** {@code hipErrorPeerAccessUnsupported}: the two GPUs cannot be peers. */
  public static final int PEER_ACCESS_UNSUPPORTED = 217;

  /** {@code hipErrorPeerAccessAlreadyEnabled}: not a failure for meshd. */
  public static final int PEER_ACCESS_ALREADY_ENABLED = 704;

  public HipException(String function, int code, String text) {
    super(function, code, text, reason(code));
  }

  private static FallbackReason reason(int code) {
    return switch (code) {
      case NO_DEVICE, INVALID_DEVICE, INSUFFICIENT_DRIVER -> FallbackReason.NO_GPU;
      case PEER_ACCESS_UNSUPPORTED -> FallbackReason.NO_PEER_ACCESS;
      case MISSING_FUNCTION -> FallbackReason.LIBRARY_MISSING;
      default -> FallbackReason.TRANSPORT_ERROR;
    };
  }
}
