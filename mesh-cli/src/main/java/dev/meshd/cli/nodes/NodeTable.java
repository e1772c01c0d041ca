package dev.meshd.cli.nodes;

import dev.meshd.cli.output.Table;
import dev.meshd.proto.v1.Node;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;

/**
 * The {@code list-nodes} table: NODE, STATE, ZONE, ROLES, GPUS, VRAM, QUEUE, FABRIC, AGE (DESIGN,
 * "CLI"), one row per node, sorted by node id; a drained node's STATE reads {@code
 * ALIVE,draining}. Stateless.
 */
final class NodeTable {

  private NodeTable() {}

  /** The table text; ages are computed against {@code now}. */
  static String render(Collection<Node> nodes, Instant now) {
    Table table =
        Table.withColumns(
            "NODE", "STATE", "ZONE", "ROLES", "GPUS", "VRAM", "QUEUE", "FABRIC", "AGE");
    nodes.stream()
        .sorted(Comparator.comparing(Node::getId))
        .forEach(
            node ->
                table.addRow(
                    node.getId(),
                    NodeCells.stateWithDrain(node),
                    NodeCells.orDash(node.getZone()),
                    NodeCells.roles(node),
                    NodeCells.gpus(node),
                    NodeCells.vram(node),
                    NodeCells.queue(node),
                    NodeCells.fabric(node),
                    NodeCells.age(node, now)));
    return table.render();
  }
}
