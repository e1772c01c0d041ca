package dev.meshd.fabric.peercopy.internal;

import dev.meshd.fabric.peercopy.GpuCallException;
import dev.meshd.fabric.peercopy.PeerCopyDevice;
import dev.meshd.fabric.peercopy.PeerCopyDriver;
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
import java.util.List;
import java.util.Optional;

/**
 * One peer-copy payload probe between two GPUs of this host, through a {@link PeerCopyDriver}:
 * the payload goes host → GPU A, A → B as a peer copy (timed), B → host, and is verified by
 * CRC32C; small A → B → A peer copies give the round trip.
 *
 * <p>GPUs are named by their index in PCI bus order, which is NVML's, nvidia-smi's and
 * rocm-smi's (and so the topology's), not by the driver's ordinal: CUDA orders the fastest GPU
 * first unless {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}, so the session sorts the driver's devices by
 * PCI address.
 *
 * <p>Everything the pair took is released before {@link #run} returns, whatever happens. Not
 * thread-safe: drivers keep per-thread state, so one thread runs the whole session.
 */
public final class PeerCopySession {

  /** Bytes of each round-trip copy: small, so it measures latency, not bandwidth. */
  static final int PING_BYTES = 64;

  private final PeerCopyDriver driver;
  private final String api;
  private final int gpuA;
  private final int gpuB;
  private final ProbeSpec spec;
  private final long seed;
  private final long deadlineNanos;
  private final long startNanos;

  /**
   * @param api how reasons name the driver's API, e.g. {@code CUDA}
   * @param startNanos {@link System#nanoTime()} when the probe began; the deadline counts from it
   * @param seed the payload's seed ({@link ProbePayload#fill})
   */
  public PeerCopySession(PeerCopyDriver driver, String api, int gpuA, int gpuB, ProbeSpec spec,
      long seed, long startNanos) {
    this.driver = driver;
    this.api = api;
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
    try {
      List<PeerCopyDevice> gpus = new ArrayList<>(driver.devices());
      gpus.sort(PeerCopyDevice.PCI_ORDER);
      for (int index : new int[] {gpuA, gpuB}) {
        if (index >= gpus.size()) {
          throw new ProbeFailure(FallbackReason.NO_GPU,
              "GPU " + index + " not present: " + api + " sees " + gpus.size() + " GPU(s)");
        }
      }
      int a = gpus.get(gpuA).handle();
      int b = gpus.get(gpuB).handle();
      checkPeers(a, b);
      try (PeerCopyDriver.Pair pair = driver.pair(a, b)) {
        return copy(pair);
      }
    } catch (GpuCallException e) {
      throw new ProbeFailure(e.reason(), e.getMessage(), e);
    }
  }

  private void checkPeers(int a, int b) throws GpuCallException, ProbeFailure {
    // Both ways: the bulk goes A to B, the round trips come back B to A.
    if (!driver.canAccessPeer(a, b) || !driver.canAccessPeer(b, a)) {
      throw new ProbeFailure(FallbackReason.NO_PEER_ACCESS, "GPU " + gpuA + " and GPU " + gpuB
          + " cannot access each other as peers (" + driver.canAccessPeerFunction() + ")");
    }
    Optional<String> mismatch = driver.linkMismatch(a, b);
    if (mismatch.isPresent()) {
      throw new ProbeFailure(FallbackReason.NO_PEER_ACCESS,
          "GPU " + gpuA + " and GPU " + gpuB + " are peers, but " + mismatch.get());
    }
  }

  private ProbeResult copy(PeerCopyDriver.Pair pair) throws GpuCallException, ProbeFailure {
    int bytes = spec.messageBytes();
    int pingBytes = Math.min(PING_BYTES, bytes);
    pair.open(bytes);
    try (Arena host = Arena.ofConfined()) {
      MemorySegment sent = host.allocate(bytes);
      MemorySegment received = host.allocate(bytes);
      // One untimed copy first: drivers map the peer's memory lazily, on first use.
      pair.copyAToB(pingBytes);
      pair.synchronize();
      Duration rtt = roundTrips(pair, pingBytes);
      long peerNanos = 0;
      for (int sequence = 0; sequence < spec.messages(); sequence++) {
        checkDeadline("after " + sequence + " of " + spec.messages() + " message(s)");
        peerNanos += sendOne(pair, sequence, sent, received);
      }
      double seconds = Math.max(1, peerNanos) / 1e9;
      return new ProbeResult(spec.totalBytes(), spec.totalBytes() / seconds, rtt,
          Duration.ofNanos(System.nanoTime() - startNanos));
    }
  }

  /** Median of {@code pings} A → B → A copies of {@code bytes}, each waited for. */
  private Duration roundTrips(PeerCopyDriver.Pair pair, int bytes)
      throws GpuCallException, ProbeFailure {
    long[] samples = new long[spec.pings()];
    for (int i = 0; i < samples.length; i++) {
      checkDeadline("after " + i + " of " + samples.length + " round trip(s)");
      long start = System.nanoTime();
      pair.copyAToB(bytes);
      pair.copyBToA(bytes);
      pair.synchronize();
      samples[i] = System.nanoTime() - start;
    }
    Arrays.sort(samples);
    return Duration.ofNanos(samples[samples.length / 2]);
  }

  /** Sends message {@code sequence} host → A → B → host; returns the nanoseconds of A → B. */
  private long sendOne(PeerCopyDriver.Pair pair, int sequence, MemorySegment sent,
      MemorySegment received) throws GpuCallException, ProbeFailure {
    long bytes = sent.byteSize();
    ProbePayload.fill(sent.asByteBuffer(), seed, sequence);
    int expected = ProbePayload.crc32c(sent.asByteBuffer());
    pair.upload(sent, bytes);
    long start = System.nanoTime();
    pair.copyAToB(bytes);
    pair.synchronize();
    long took = System.nanoTime() - start;
    pair.download(received, bytes);
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
}
