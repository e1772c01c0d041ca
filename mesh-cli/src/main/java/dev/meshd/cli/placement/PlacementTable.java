package dev.meshd.cli.placement;

import dev.meshd.cli.output.Table;
import dev.meshd.proto.v1.Placement;
import java.util.List;

/**
 * The {@code placement list} table: NAME, MODEL, KIND, TARGETS, LINKS, CORDONED, REVISION, one
 * row per placement in the order given. Stateless.
 */
final class PlacementTable {

  private PlacementTable() {}

  static String render(List<Placement> placements) {
    Table table =
        Table.withColumns("NAME", "MODEL", "KIND", "TARGETS", "LINKS", "CORDONED", "REVISION");
    for (Placement placement : placements) {
      table.addRow(
          placement.getName(),
          PlacementCells.orDash(placement.getModel()),
          PlacementCells.kind(placement),
          PlacementCells.targets(placement),
          PlacementCells.links(placement),
          PlacementCells.cordoned(placement),
          Long.toString(placement.getRevision()));
    }
    return table.render();
  }
}
