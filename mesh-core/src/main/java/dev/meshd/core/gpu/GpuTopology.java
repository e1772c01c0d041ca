package dev.meshd.core.gpu;

import dev.meshd.core.fabric.FabricInventory;
import java.util.Objects;

/**
 * The outcome of one {@link NvmlTopologyProbe#discover()}: how this host's GPUs are connected,
 * and whether the source could say. Immutable.
 *
 * @param status FOUND (NVML answered; the inventory may still be empty, e.g. one GPU), ABSENT
 *     (no {@code libnvidia-ml.so.1} here) or FAILED (it is here but could not answer): the caller
 *     falls back to the {@code nvidia-smi} tools unless FOUND
 * @param inventory GPU peer links and NVLink lanes when FOUND, with reasons for what was skipped;
 *     otherwise empty, with the reason
 */
public record GpuTopology(GpuDiscovery.Status status, FabricInventory inventory) {

  public GpuTopology {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(inventory, "inventory");
    if (status != GpuDiscovery.Status.FOUND && !inventory.isEmpty()) {
      throw new IllegalArgumentException("inventory must be empty when status is " + status);
    }
    if (status != GpuDiscovery.Status.FOUND && inventory.reasons().isEmpty()) {
      throw new IllegalArgumentException("reasons: none (expected: why the status is " + status
          + ")");
    }
  }

  public static GpuTopology found(FabricInventory inventory) {
    return new GpuTopology(GpuDiscovery.Status.FOUND, inventory);
  }

  public static GpuTopology absent(String why) {
    return new GpuTopology(GpuDiscovery.Status.ABSENT, FabricInventory.absent(why));
  }

  public static GpuTopology failed(String why) {
    return new GpuTopology(GpuDiscovery.Status.FAILED, FabricInventory.absent(why));
  }
}
