package dev.meshd.cli.policy;

import dev.meshd.cli.output.Table;
import dev.meshd.proto.v1.Policy;
import java.util.List;

/**
 * The {@code policy list} table: NAME, MODEL, STRATEGY, MAX-QUEUE, MAX-INFLIGHT, HEDGE, REVISION,
 * one row per policy in the order given. Stateless.
 */
final class PolicyTable {

  private PolicyTable() {}

  static String render(List<Policy> policies) {
    Table table =
        Table.withColumns(
            "NAME", "MODEL", "STRATEGY", "MAX-QUEUE", "MAX-INFLIGHT", "HEDGE", "REVISION");
    for (Policy policy : policies) {
      table.addRow(
          policy.getName(),
          PolicyCells.orDash(policy.getModelSelector()),
          PolicyCells.orDash(policy.getStrategy()),
          PolicyCells.limit(policy.getAdmission().getMaxQueueDepthPerTarget()),
          PolicyCells.limit(policy.getAdmission().getMaxInFlightPerTenant()),
          PolicyCells.hedge(policy),
          Long.toString(policy.getRevision()));
    }
    return table.render();
  }
}
