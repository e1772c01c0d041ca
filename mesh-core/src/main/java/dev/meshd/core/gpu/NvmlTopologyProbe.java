package dev.meshd.core.gpu;

import dev.meshd.core.blocking.BoundedNativeCall;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.gpu.internal.NvmlException;
import dev.meshd.core.gpu.internal.NvmlLibrary;
import dev.meshd.core.gpu.internal.NvmlTopologyReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds how this host's GPUs are connected (NVLink between which pairs and how many links, else
 * which PCIe path; per-GPU NVLink lanes and their speed; peer access) through NVML called
 * in-process with the FFM API: {@code nvmlDeviceGetNvLinkState}, {@code
 * nvmlDeviceGetNvLinkRemotePciInfo_v2}, {@code nvmlDeviceGetP2PStatus}, {@code
 * nvmlDeviceGetTopologyCommonAncestor} (see {@link NvmlTopologyReader} for the rules). The same
 * facts {@code nvidia-smi topo -m} and {@code nvidia-smi nvlink -s} print, without a child process
 * or text to parse.
 *
 * <p>It lives beside {@link NvmlGpuProbe} because it shares its binding ({@link NvmlLibrary}):
 * one hand-written description of {@code libnvidia-ml.so.1}, its structs and error texts, rather
 * than a second one in {@code mesh-fabric}. GPU indexes are NVML's, which are also nvidia-smi's
 * (PCI bus order).
 *
 * <p>No library means no NVIDIA driver: ABSENT. A library without the topology functions (a driver
 * older than R450) or one that fails to initialise is FAILED; either way the caller falls back to
 * the tools. Each {@link #discover()} brackets its calls with {@code nvmlInit_v2}/{@code
 * nvmlShutdown} and runs them through a {@link BoundedNativeCall}, so a hung driver costs at most
 * the timeout. Thread-safe: {@code discover()} is synchronized.
 */
public final class NvmlTopologyProbe {

  private final String library;
  private final Duration timeout;
  private final BoundedNativeCall calls = new BoundedNativeCall("NVML", "meshd-nvml-topology");
  private NvmlLibrary nvml;

  /**
   * @param library a name the dynamic loader searches for, normally {@code libnvidia-ml.so.1},
   *     or a path containing {@code /}
   * @param timeout longest one discovery may block
   */
  public NvmlTopologyProbe(String library, Duration timeout) {
    this.library = Objects.requireNonNull(library, "library");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
  }

  /** The topology now. Never throws for a missing or failing driver: see {@link GpuTopology}. */
  public synchronized GpuTopology discover() {
    if (nvml == null) {
      try {
        // Kept once loaded; a failed load is retried next time, in case a driver is installed.
        nvml = NvmlLibrary.load(library);
      } catch (IllegalArgumentException e) {
        return GpuTopology.absent(library + " not found: no NVIDIA driver");
      } catch (NvmlException e) {
        return GpuTopology.failed("NVML: " + e.getMessage());
      }
    }
    NvmlLibrary bound = nvml;
    return switch (calls.call(() -> query(bound), timeout)) {
      case BoundedNativeCall.Outcome.Done<GpuTopology>(GpuTopology topology) -> topology;
      case BoundedNativeCall.Outcome.Failed<GpuTopology>(String message) ->
          GpuTopology.failed(message);
    };
  }

  private static GpuTopology query(NvmlLibrary nvml) {
    try {
      nvml.init();
    } catch (NvmlException e) {
      return GpuTopology.failed("NVML: " + e.getMessage());
    }
    GpuTopology result;
    try {
      result = GpuTopology.found(NvmlTopologyReader.read(nvml));
    } catch (NvmlException e) {
      result = GpuTopology.failed("NVML: " + e.getMessage());
    }
    try {
      nvml.shutdown();
    } catch (NvmlException e) {
      // The topology stands; a failed shutdown only leaks NVML's reference count, but an
      // operator chasing a driver problem wants to see it.
      FabricInventory read = result.inventory();
      List<String> reasons = new ArrayList<>(read.reasons());
      reasons.add("NVML: " + e.getMessage());
      return new GpuTopology(result.status(), new FabricInventory(read.rdmaPorts(),
          read.gpuPeerLinks(), read.nvlinkLanes(), read.libfabricProviders(), reasons));
    }
    return result;
  }
}
