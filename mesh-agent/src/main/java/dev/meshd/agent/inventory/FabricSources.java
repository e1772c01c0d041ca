package dev.meshd.agent.inventory;

import dev.meshd.fabric.discovery.CompositeFabricDiscovery;
import dev.meshd.fabric.discovery.SysfsRdmaDiscovery;
import dev.meshd.fabric.libfabric.LibfabricDiscovery;
import dev.meshd.fabric.discovery.GpuTopologyDiscovery;
import java.time.Duration;
import java.util.Map;

/**
 * The fabric discovery sources this agent runs, in the order their results are merged into the
 * capability record's fabric part. A new source (libfabric, NVML) is one line here.
 */
public final class FabricSources {

  /**
   * One run of a GPU topology tool. A healthy nvidia-smi answers {@code topo -m} in well under a
   * second; ten seconds means a wedged driver, and the tool is killed.
   */
  static final Duration TOOL_TIMEOUT = Duration.ofSeconds(10);

  private FabricSources() {}

  /**
   * The sources of a real host: sysfs RDMA ports, libfabric providers, then the GPU topology (NVML, else the
   * {@code nvidia-smi} tools; {@code rocm-smi} for AMD). Each runs bounded (see {@link
   * CompositeFabricDiscovery}); the whole discovery takes at most {@link
   * CompositeFabricDiscovery#DEFAULT_TIMEOUT}.
   *
   * @param environment the agent's environment: its {@code PATH} is where the tools are found
   */
  public static CompositeFabricDiscovery standard(Map<String, String> environment) {
    LibfabricDiscovery libfabric = LibfabricDiscovery.system();
    GpuTopologyDiscovery gpus = GpuTopologyDiscovery.builder()
        .environment(environment).timeout(TOOL_TIMEOUT).build();
    return CompositeFabricDiscovery.builder()
        .source("sysfs-rdma", SysfsRdmaDiscovery.system())
        // fi_getinfo per provider (fi_info when the library cannot be loaded); each round asks
        // again, so a provider that appears (a driver loaded late) is found within one interval.
        .source("libfabric", () -> libfabric.refresh().inventory())
        .source("gpu-topology", gpus::discover)
        .timeout(CompositeFabricDiscovery.DEFAULT_TIMEOUT)
        .build();
  }
}
