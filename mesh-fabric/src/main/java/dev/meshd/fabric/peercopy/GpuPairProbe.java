package dev.meshd.fabric.peercopy;

import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;

/**
 * A payload probe between two GPUs of this host, named by their index in PCI bus order: what a
 * same-host stage transport ({@link PeerCopyStageTransport}) needs from NVLink's or XGMI's probe.
 * Implementations are thread-safe.
 */
public interface GpuPairProbe {

  /**
   * Loads the vendor library if it is not yet: fails with {@code library_missing} when there is
   * none, so that a negotiation can skip the transport before offering it.
   */
  void checkDriver() throws ProbeFailure;

  /**
   * Probes the link from {@code gpuA} to {@code gpuB}.
   *
   * @param gpuA the sending GPU's index in PCI bus order
   * @param gpuB the receiving GPU's index, not {@code gpuA}
   * @throws ProbeFailure why the link cannot be used; the caller falls back to the next transport
   */
  ProbeResult probe(int gpuA, int gpuB, ProbeSpec spec) throws ProbeFailure;
}
