package dev.meshd.fabric.nvlink.internal;

import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbePayload;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One NVLink payload probe between two GPUs of this host, through the CUDA driver: the payload
 * goes host → GPU A, A → B as a peer copy (timed), B → host, and is verified by CRC32C; small A →
 * B → A peer copies give the round trip.
 *
 * <p>GPUs are named by their index in PCI bus order, which is NVML's and nvidia-smi's (and so the
 * topology's), not by CUDA ordinal: CUDA orders the fastest GPU first unless {@code
 * CUDA_DEVICE_ORDER=PCI_BUS_ID}, so the session sorts CUDA's devices by PCI address.
 *
 * <p>Every context retained and every buffer allocated is released before {@link #run} returns,
 * whatever happens. Not thread-safe: the current context is per thread, so one thread runs the
 * whole session.
 */
public final class PeerCopySession {

  /** Bytes of each round-trip copy: small, so it measures latency, not bandwidth. */
  static final int PING_BYTES = 64;

  private final CudaDriver cuda;
  private final int gpuA;
  private final int gpuB;
  private final ProbeSpec spec;
  private final long seed;
  private final long deadlineNanos;
  private final long startNanos;

  /** The CUDA ordinal and PCI address of one GPU, for sorting into PCI bus order. */
  private record CudaGpu(int device, int domain, int bus, int pciDevice) {}

  /** A retained primary context and the buffer allocated in it (0 until allocated). */
  private static final class Side {
    final int device;
    MemorySegment context;
    long buffer;

    Side(int device) {
      this.device = device;
    }
  }

  /**
   * @param startNanos {@link System#nanoTime()} when the probe began; the deadline counts from it
   * @param seed the payload's seed ({@link ProbePayload#fill})
   */
  public PeerCopySession(CudaDriver cuda, int gpuA, int gpuB, ProbeSpec spec, long seed,
      long startNanos) {
    this.cuda = cuda;
    this.gpuA = gpuA;
    this.gpuB = gpuB;
    this.spec = spec;
    this.seed = seed;
    this.startNanos = startNanos;
    this.deadlineNanos = startNanos + spec.deadline().toNanos();
  }

  /**
   * Runs the probe.
   *
   * @throws ProbeFailure NO_GPU (no device, or no such index), NO_PEER_ACCESS, CHECKSUM_MISMATCH,
   *     PROBE_TIMEOUT (the deadline passed between copies) or TRANSPORT_ERROR (a call failed)
   */
  public ProbeResult run() throws ProbeFailure {
    List<CudaGpu> gpus = gpusInPciOrder();
    for (int index : new int[] {gpuA, gpuB}) {
      if (index >= gpus.size()) {
        throw new ProbeFailure(FallbackReason.NO_GPU,
            "GPU " + index + " not present: CUDA sees " + gpus.size() + " GPU(s)");
      }
    }
    Side a = new Side(gpus.get(gpuA).device());
    Side b = new Side(gpus.get(gpuB).device());
    checkPeerAccess(a, b);
    try {
      return copy(a, b);
    } catch (CudaException e) {
      throw failure(e);
    } finally {
      release(a, b);
    }
  }

  private List<CudaGpu> gpusInPciOrder() throws ProbeFailure {
    try {
      cuda.init();
      int count = cuda.deviceCount();
      List<CudaGpu> gpus = new ArrayList<>(count);
      for (int ordinal = 0; ordinal < count; ordinal++) {
        int device = cuda.device(ordinal);
        gpus.add(new CudaGpu(device,
            cuda.attribute(device, CudaDriver.ATTRIBUTE_PCI_DOMAIN_ID),
            cuda.attribute(device, CudaDriver.ATTRIBUTE_PCI_BUS_ID),
            cuda.attribute(device, CudaDriver.ATTRIBUTE_PCI_DEVICE_ID)));
      }
      gpus.sort(Comparator.comparingInt(CudaGpu::domain).thenComparingInt(CudaGpu::bus)
          .thenComparingInt(CudaGpu::pciDevice));
      return gpus;
    } catch (CudaException e) {
      throw failure(e);
    }
  }

  private void checkPeerAccess(Side a, Side b) throws ProbeFailure {
    try {
      // Both ways: the bulk goes A to B, the round trips come back B to A.
      if (!cuda.canAccessPeer(a.device, b.device) || !cuda.canAccessPeer(b.device, a.device)) {
        throw new ProbeFailure(FallbackReason.NO_PEER_ACCESS, "GPU " + gpuA + " and GPU " + gpuB
            + " cannot access each other as peers (cuDeviceCanAccessPeer)");
      }
    } catch (CudaException e) {
      throw failure(e);
    }
  }

  private ProbeResult copy(Side a, Side b) throws CudaException, ProbeFailure {
    int bytes = spec.messageBytes();
    a.context = cuda.retainPrimaryContext(a.device);
    b.context = cuda.retainPrimaryContext(b.device);
    cuda.setCurrent(b.context);
    cuda.enablePeerAccess(a.context);
    b.buffer = cuda.allocate(bytes);
    cuda.setCurrent(a.context);
    cuda.enablePeerAccess(b.context);
    a.buffer = cuda.allocate(bytes);

    try (Arena host = Arena.ofConfined()) {
      MemorySegment sent = host.allocate(bytes);
      MemorySegment received = host.allocate(bytes);
      // One untimed copy first: the driver maps the peer's memory lazily, on first use.
      cuda.copyPeer(b.buffer, b.context, a.buffer, a.context, Math.min(PING_BYTES, bytes));
      cuda.synchronize();
      Duration rtt = roundTrips(a, b, Math.min(PING_BYTES, bytes));
      long peerNanos = 0;
      for (int sequence = 0; sequence < spec.messages(); sequence++) {
        checkDeadline("after " + sequence + " of " + spec.messages() + " message(s)");
        peerNanos += sendOne(a, b, sequence, sent, received);
      }
      double seconds = Math.max(1, peerNanos) / 1e9;
      return new ProbeResult(spec.totalBytes(), spec.totalBytes() / seconds, rtt,
          Duration.ofNanos(System.nanoTime() - startNanos));
    }
  }

  /** Median of {@code pings} A → B → A copies of {@code bytes}, each waited for. */
  private Duration roundTrips(Side a, Side b, int bytes) throws CudaException, ProbeFailure {
    long[] samples = new long[spec.pings()];
    for (int i = 0; i < samples.length; i++) {
      checkDeadline("after " + i + " of " + samples.length + " round trip(s)");
      long start = System.nanoTime();
      cuda.copyPeer(b.buffer, b.context, a.buffer, a.context, bytes);
      cuda.copyPeer(a.buffer, a.context, b.buffer, b.context, bytes);
      cuda.synchronize();
      samples[i] = System.nanoTime() - start;
    }
    Arrays.sort(samples);
    return Duration.ofNanos(samples[samples.length / 2]);
  }

  /** Sends message {@code sequence} host → A → B → host; returns the nanoseconds of A → B. */
  private long sendOne(Side a, Side b, int sequence, MemorySegment sent, MemorySegment received)
      throws CudaException, ProbeFailure {
    long bytes = sent.byteSize();
    ProbePayload.fill(sent.asByteBuffer(), seed, sequence);
    int expected = ProbePayload.crc32c(sent.asByteBuffer());
    cuda.copyHostToDevice(a.buffer, sent, bytes);
    long start = System.nanoTime();
    cuda.copyPeer(b.buffer, b.context, a.buffer, a.context, bytes);
    cuda.synchronize();
    long took = System.nanoTime() - start;
    cuda.setCurrent(b.context);
    cuda.synchronize();
    cuda.copyDeviceToHost(received, b.buffer, bytes);
    cuda.setCurrent(a.context);
    int actual = ProbePayload.crc32c(received.asByteBuffer());
    if (actual != expected) {
      throw new ProbeFailure(FallbackReason.CHECKSUM_MISMATCH, String.format(
          "message %d of %d: CRC32C %08x, expected %08x, after host -> GPU %d -> GPU %d -> host",
          sequence + 1, spec.messages(), actual, expected, gpuA, gpuB));
    }
    return took;
  }

  private void checkDeadline(String progress) throws ProbeFailure {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new ProbeFailure(FallbackReason.PROBE_TIMEOUT,
          "deadline of " + spec.deadline().toMillis() + " ms passed " + progress);
    }
  }

  /** Frees and releases what was taken, each in its own context; failures here change nothing. */
  private void release(Side... sides) {
    for (Side side : sides) {
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

  private ProbeFailure failure(CudaException e) {
    FallbackReason reason = switch (e.code()) {
      case CudaException.NO_DEVICE, CudaException.INVALID_DEVICE -> FallbackReason.NO_GPU;
      case CudaException.PEER_ACCESS_UNSUPPORTED, CudaException.TOO_MANY_PEERS ->
          FallbackReason.NO_PEER_ACCESS;
      default -> FallbackReason.TRANSPORT_ERROR;
    };
    return new ProbeFailure(reason, e.getMessage(), e);
  }
}
