package dev.meshd.agent.inventory;

import dev.meshd.core.capability.CapabilityRecord;
import java.util.function.UnaryOperator;

/**
 * Changes this node's capability record. Several components change different parts of it (GPU
 * figures, runtime models), so each change is a function of the current record applied
 * atomically; returning the same instance publishes nothing.
 */
@FunctionalInterface
public interface RecordUpdater {
  void update(UnaryOperator<CapabilityRecord> change);
}
