package dev.meshd.fabric.discovery;

import dev.meshd.core.fabric.FabricInventory;
import java.util.Objects;

/**
 * One source of fabric facts: sysfs, a tool's output, a native library. The agent holds a list
 * of them in a {@link CompositeFabricDiscovery}, which bounds each in time.
 *
 * <p>Contract: {@link #discover()} says what it found and, in the inventory's reasons, why
 * something is missing; it does not throw for what it reads (an absent device, tool or library
 * is a reason). It may block (a tool, a driver call): callers that must not block run it
 * through a {@link CompositeFabricDiscovery}. Anything with a {@code FabricInventory discover()}
 * method plugs in as {@code thing::discover}.
 */
@FunctionalInterface
public interface FabricDiscovery {

  /** What this source finds now, with reasons for what it could not find or read. */
  FabricInventory discover();

  /**
   * {@code preferred}'s result when it found anything; otherwise {@code fallback}'s, after the
   * reasons {@code preferred} gave (so that "NVML not loaded" stays visible beside what
   * {@code nvidia-smi} found). {@code fallback} runs only when needed.
   */
  static FabricDiscovery firstFound(FabricDiscovery preferred, FabricDiscovery fallback) {
    Objects.requireNonNull(preferred, "preferred");
    Objects.requireNonNull(fallback, "fallback");
    return () -> {
      FabricInventory first = preferred.discover();
      return first.isEmpty() ? first.merge(fallback.discover()) : first;
    };
  }
}
