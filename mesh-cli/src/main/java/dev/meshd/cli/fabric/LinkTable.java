package dev.meshd.cli.fabric;

import dev.meshd.cli.output.LinkUnits;
import dev.meshd.cli.output.ProtoText;
import dev.meshd.cli.output.Table;
import dev.meshd.proto.v1.LinkState;
import dev.meshd.proto.v1.LinkStatus;
import dev.meshd.proto.v1.PlacementLink;
import java.util.List;

/**
 * The {@code fabric links} table: PLACEMENT, FROM, TO, TRANSPORT, BANDWIDTH, RTT, STATE, REASON;
 * a stage is shown as {@code index:node}, figures in human units, {@code -} for what is not
 * known yet. Stateless.
 */
final class LinkTable {

  private LinkTable() {}

  static String render(List<PlacementLink> links) {
    Table table = Table.withColumns(
        "PLACEMENT", "FROM", "TO", "TRANSPORT", "BANDWIDTH", "RTT", "STATE", "REASON");
    for (PlacementLink link : links) {
      LinkStatus status = link.getStatus();
      table.addRow(
          link.getPlacement(),
          stage(link.getFromStage(), link.getFromNode()),
          stage(link.getToStage(), link.getToNode()),
          orDash(status.getTransport()),
          bandwidth(status),
          rtt(status),
          state(status),
          orDash(status.getReason()));
    }
    return table.render();
  }

  /** {@code 1:node2}, or the index alone when the stage names no node. */
  static String stage(int index, String node) {
    String i = Integer.toUnsignedString(index);
    return node.isEmpty() ? i : i + ":" + node;
  }

  static String bandwidth(LinkStatus status) {
    return status.getBandwidthBytesPerSecond() > 0
        ? LinkUnits.bandwidth(status.getBandwidthBytesPerSecond())
        : "-";
  }

  static String rtt(LinkStatus status) {
    return status.hasRtt() && LinkUnits.isSet(status.getRtt())
        ? LinkUnits.rtt(status.getRtt())
        : "-";
  }

  /** {@code ESTABLISHED}, {@code DEGRADED}, ...; {@code PENDING} when never negotiated. */
  static String state(LinkStatus status) {
    return status.getState() == LinkState.LINK_STATE_UNSPECIFIED
        ? "PENDING"
        : ProtoText.shortName(status.getState(), status.getStateValue(), "LINK_STATE_");
  }

  static String orDash(String value) {
    return value.isEmpty() ? "-" : value;
  }
}
