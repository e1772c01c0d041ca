package dev.meshd.fabric.nvlink.internal;

import dev.meshd.fabric.peercopy.PeerCopyDevice;
import dev.meshd.fabric.peercopy.PeerCopyDriver;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The peer-copy probe's driver over the CUDA driver API: each GPU's primary context is retained
 * for the pair and made current around the calls that need it, peer access is enabled context
 * to context, and copies are {@code cuMemcpyPeer} followed by {@code cuCtxSynchronize}.
 *
 * <p>The probe cannot tell NVLink from PCIe peer access here ({@link #linkMismatch} is always
 * empty); the topology says which the pair has. Thread-safety: as {@link CudaDriver}, the
 * current context is per thread; one thread uses a pair.
 */
public final class CudaPeerCopy implements PeerCopyDriver {

  private final CudaDriver cuda;

  public CudaPeerCopy(CudaDriver cuda) {
    this.cuda = Objects.requireNonNull(cuda, "cuda");
  }

  /** Loads {@code libcuda} and binds it: a {@link PeerCopyDriver.Loader}. */
  public static PeerCopyDriver load(String nameOrPath) throws CudaException {
    return new CudaPeerCopy(CudaDriver.load(nameOrPath));
  }

  @Override
  public List<PeerCopyDevice> devices() throws CudaException {
    cuda.init();
    int count = cuda.deviceCount();
    List<PeerCopyDevice> gpus = new ArrayList<>(count);
    for (int ordinal = 0; ordinal < count; ordinal++) {
      int device = cuda.device(ordinal);
      gpus.add(new PeerCopyDevice(device,
          cuda.attribute(device, CudaDriver.ATTRIBUTE_PCI_DOMAIN_ID),
          cuda.attribute(device, CudaDriver.ATTRIBUTE_PCI_BUS_ID),
          cuda.attribute(device, CudaDriver.ATTRIBUTE_PCI_DEVICE_ID)));
    }
    return gpus;
  }

  @Override
  public boolean canAccessPeer(int device, int peer) throws CudaException {
    return cuda.canAccessPeer(device, peer);
  }

  @Override
  public String canAccessPeerFunction() {
    return "cuDeviceCanAccessPeer";
  }

  @Override
  public Optional<String> linkMismatch(int device, int peer) {
    return Optional.empty();
  }

  @Override
  public Pair pair(int deviceA, int deviceB) {
    return new ContextPair(deviceA, deviceB);
  }

  /** A retained primary context and the buffer allocated in it (0 until allocated). */
  private static final class Side {
    final int device;
    MemorySegment context;
    long buffer;

    Side(int device) {
      this.device = device;
    }
  }

  /** Two primary contexts; A's is current between calls. */
  private final class ContextPair implements Pair {
    private final Side a;
    private final Side b;

    ContextPair(int deviceA, int deviceB) {
      this.a = new Side(deviceA);
      this.b = new Side(deviceB);
    }

    @Override
    public void open(long bytes) throws CudaException {
      a.context = cuda.retainPrimaryContext(a.device);
      b.context = cuda.retainPrimaryContext(b.device);
      cuda.setCurrent(b.context);
      cuda.enablePeerAccess(a.context);
      b.buffer = cuda.allocate(bytes);
      cuda.setCurrent(a.context);
      cuda.enablePeerAccess(b.context);
      a.buffer = cuda.allocate(bytes);
    }

    @Override
    public void copyAToB(long bytes) throws CudaException {
      cuda.copyPeer(b.buffer, b.context, a.buffer, a.context, bytes);
    }

    @Override
    public void copyBToA(long bytes) throws CudaException {
      cuda.copyPeer(a.buffer, a.context, b.buffer, b.context, bytes);
    }

    @Override
    public void synchronize() throws CudaException {
      cuda.synchronize();
    }

    @Override
    public void upload(MemorySegment host, long bytes) throws CudaException {
      cuda.copyHostToDevice(a.buffer, host, bytes);
    }

    @Override
    public void download(MemorySegment host, long bytes) throws CudaException {
      cuda.setCurrent(b.context);
      cuda.synchronize();
      cuda.copyDeviceToHost(host, b.buffer, bytes);
      cuda.setCurrent(a.context);
    }

    /** Frees and releases what was taken, each in its own context; failures change nothing. */
    @Override
    public void close() {
      for (Side side : new Side[] {a, b}) {
        try {
          if (side.buffer != 0) {
            cuda.setCurrent(side.context);
            cuda.free(side.buffer);
          }
        } catch (CudaException e) {
          // The context's release below frees what it holds.
        }
        try {
          if (side.context != null) {
            // The last release resets the context, peer access included.
            cuda.releasePrimaryContext(side.device);
          }
        } catch (CudaException e) {
          // Nothing more to do: the process exits with its contexts anyway.
        }
      }
      try {
        cuda.setCurrent(MemorySegment.NULL);
      } catch (CudaException e) {
        // Leaves a stale current context on a thread that ends now.
      }
    }
  }
}
