package dev.meshd.fabric.peercopy;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;

/**
 * The few things a GPU vendor's API must do for a peer-copy payload probe between two GPUs of
 * this host: list the GPUs, say whether two can be peers, and copy between them. Implemented
 * over the CUDA driver API (NVLink) and the HIP runtime (XGMI); the probe's choreography,
 * verification and timing ({@link PeerCopyProbe}) are shared.
 *
 * <p>Thread-safety: a driver may keep per-thread state (CUDA's current context, HIP's current
 * device), so a probe makes every call of one session, {@link Pair} included, from one thread.
 */
public interface PeerCopyDriver {

  /** Loads a driver from a library name or path. */
  @FunctionalInterface
  interface Loader {
    /**
     * @throws IllegalArgumentException the library cannot be loaded (not installed)
     * @throws GpuCallException the library lacks a function the probe needs
     */
    PeerCopyDriver load(String nameOrPath) throws GpuCallException;
  }

  /** Initialises the API if needed and lists the GPUs it sees, in any order. */
  List<PeerCopyDevice> devices() throws GpuCallException;

  /** Whether {@code device} can access {@code peer}'s memory (handles from {@link #devices}). */
  boolean canAccessPeer(int device, int peer) throws GpuCallException;

  /** The function {@link #canAccessPeer} calls, named in the reason two GPUs are refused. */
  String canAccessPeerFunction();

  /**
   * Why two peers are not joined by the link this driver's transport stands for (XGMI, say, when
   * HIP reports a PCIe path), in words; empty when they are or the API cannot tell.
   */
  Optional<String> linkMismatch(int device, int peer) throws GpuCallException;

  /** A pair of GPUs to copy between; nothing is taken until {@link Pair#open}. */
  Pair pair(int deviceA, int deviceB);

  /**
   * Two GPUs A and B with peer access enabled both ways and one buffer on each. Copies between
   * them may return before they finish: {@link #synchronize} waits. Not thread-safe.
   */
  interface Pair extends AutoCloseable {

    /** Enables peer access both ways and allocates {@code bytes} on each GPU. */
    void open(long bytes) throws GpuCallException;

    /** A peer copy of the first {@code bytes} of A's buffer into B's. */
    void copyAToB(long bytes) throws GpuCallException;

    /** A peer copy of the first {@code bytes} of B's buffer into A's. */
    void copyBToA(long bytes) throws GpuCallException;

    /** Waits for the copies issued so far. */
    void synchronize() throws GpuCallException;

    /** Copies {@code bytes} of host memory into A's buffer. */
    void upload(MemorySegment host, long bytes) throws GpuCallException;

    /** Copies {@code bytes} of B's buffer into host memory, after B's work has finished. */
    void download(MemorySegment host, long bytes) throws GpuCallException;

    /**
     * Frees what {@link #open} took (buffers, contexts, the peer access it enabled), whatever
     * state it is in; never throws, since it runs after a failure too.
     */
    @Override
    void close();
  }
}
