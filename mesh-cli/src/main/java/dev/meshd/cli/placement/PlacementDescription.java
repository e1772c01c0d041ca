package dev.meshd.cli.placement;

import dev.meshd.cli.output.Description;
import dev.meshd.cli.output.Table;
import dev.meshd.proto.v1.LinkStatus;
import dev.meshd.proto.v1.Placement;
import dev.meshd.proto.v1.Replica;
import dev.meshd.proto.v1.Stage;
import dev.meshd.proto.v1.StageLink;

/**
 * The {@code placement get} text: the placement's fields, then a table of its stages (or
 * replicas) and one of its stage links, with the reasons faster transports were not used.
 * Stateless.
 */
final class PlacementDescription {

  private static final String INDENT = "  ";

  private PlacementDescription() {}

  static String render(Placement placement) {
    Description text =
        new Description()
            .field("Name", placement.getName())
            .field("Model", placement.getModel())
            .field("Kind", PlacementCells.kind(placement));
    if (placement.getStagesCount() > 0) {
      text.field("Stages", Integer.toString(placement.getStagesCount()))
          .block(stageTable(placement));
    }
    if (placement.getReplicasCount() > 0) {
      text.field("Replicas", Integer.toString(placement.getReplicasCount()))
          .block(replicaTable(placement));
    }
    text.field("Links", Integer.toString(placement.getLinksCount()));
    if (placement.getLinksCount() > 0) {
      text.block(linkTable(placement));
    }
    return text
        .field("Cordoned", placement.getCordonedNodesList())
        .field("Revision", Long.toString(placement.getRevision()))
        .render();
  }

  private static String stageTable(Placement placement) {
    Table table = Table.withColumns("STAGE", "LAYERS", "NODE", "GPUS");
    for (Stage stage : PlacementCells.stages(placement)) {
      table.addRow(
          Integer.toUnsignedString(stage.getIndex()),
          Integer.toUnsignedString(stage.getFirstLayer()) + "-"
              + Integer.toUnsignedString(stage.getLastLayer()),
          PlacementCells.orDash(stage.getNodeId()),
          PlacementCells.gpus(stage.getGpuIndexesList()));
    }
    return table.render(INDENT);
  }

  private static String replicaTable(Placement placement) {
    Table table = Table.withColumns("NODE", "GPUS");
    for (Replica replica : placement.getReplicasList()) {
      table.addRow(
          PlacementCells.orDash(replica.getNodeId()),
          PlacementCells.gpus(replica.getGpuIndexesList()));
    }
    return table.render(INDENT);
  }

  private static String linkTable(Placement placement) {
    Table table = Table.withColumns(
        "LINK", "TRANSPORT", "CLASS", "BANDWIDTH", "RTT", "STATE", "REASON", "FALLBACKS");
    for (StageLink link : placement.getLinksList()) {
      LinkStatus status = link.getStatus();
      table.addRow(
          link.getFromStage() + "->" + link.getToStage(),
          PlacementCells.orDash(status.getTransport()),
          PlacementCells.orDash(status.getFabricClass()),
          status.getBandwidthBytesPerSecond() > 0
              ? PlacementCells.bandwidth(status.getBandwidthBytesPerSecond())
              : "-",
          status.hasRtt() ? PlacementCells.rtt(status.getRtt()) : "-",
          PlacementCells.state(status),
          PlacementCells.orDash(status.getReason()),
          PlacementCells.orDash(String.join("; ", status.getFallbackReasonsList())));
    }
    return table.render(INDENT);
  }
}
