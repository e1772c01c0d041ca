package dev.meshd.agent.inventory;

import dev.meshd.fabric.discovery.CompositeFabricDiscovery;
import dev.meshd.fabric.discovery.SysfsRdmaDiscovery;
import dev.meshd.fabric.discovery.ToolFabricDiscovery;
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
   * The sources of a real host: sysfs RDMA ports, then NVIDIA and AMD GPU topology through
   * their tools when installed. Each runs bounded (see {@link CompositeFabricDiscovery}); the
   * whole discovery takes at most {@link CompositeFabricDiscovery#DEFAULT_TIMEOUT}.
   *
   * @param environment the agent's environment: its {@code PATH} is where the tools are found
   */
  public static CompositeFabricDiscovery standard(Map<String, String> environment) {
    return CompositeFabricDiscovery.builder()
        .source("sysfs-rdma", SysfsRdmaDiscovery.system())
        // libfabric providers through FFM (fi_getinfo) plug in here:
        //   .source("libfabric", new LibfabricDiscovery()::discover)
        // NVML topology goes ahead of nvidia-smi, which stays as its fallback: replace the
        // next line's second argument by
        //   FabricDiscovery.firstFound(new GpuTopologyDiscovery()::discover,
        //       ToolFabricDiscovery.nvidiaSmi(environment, TOOL_TIMEOUT))
        .source("nvidia-topology", ToolFabricDiscovery.nvidiaSmi(environment, TOOL_TIMEOUT))
        .source("amd-topology", ToolFabricDiscovery.rocmSmi(environment, TOOL_TIMEOUT))
        .timeout(CompositeFabricDiscovery.DEFAULT_TIMEOUT)
        .build();
  }
}
