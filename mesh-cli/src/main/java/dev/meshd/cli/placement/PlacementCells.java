package dev.meshd.cli.placement;

import dev.meshd.cli.output.LinkUnits;
import dev.meshd.cli.output.ProtoText;
import dev.meshd.proto.v1.LinkState;
import dev.meshd.proto.v1.LinkStatus;
import dev.meshd.proto.v1.Placement;
import dev.meshd.proto.v1.Replica;
import dev.meshd.proto.v1.Stage;
import dev.meshd.proto.v1.StageLink;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a placement's fields read in a table cell; shared by {@code placement list} and
 * {@code placement get}. Stateless.
 */
final class PlacementCells {

  private PlacementCells() {}

  /** {@code replicas} or {@code stages}; {@code -} for neither, {@code both} for a bad one. */
  static String kind(Placement placement) {
    boolean replicas = placement.getReplicasCount() > 0;
    boolean stages = placement.getStagesCount() > 0;
    if (replicas && stages) {
      return "both";
    }
    return replicas ? "replicas" : stages ? "stages" : "-";
  }

  /**
   * Where the model runs: {@code node1[0,1] node2[0]} for replicas, {@code 0:node1 -> 1:node2}
   * for stages in pipeline order.
   */
  static String targets(Placement placement) {
    if (placement.getStagesCount() > 0) {
      return stages(placement).stream()
          .map(stage -> Integer.toUnsignedString(stage.getIndex()) + ":" + stage.getNodeId())
          .collect(Collectors.joining(" -> "));
    }
    if (placement.getReplicasCount() > 0) {
      return placement.getReplicasList().stream()
          .map(PlacementCells::replica)
          .collect(Collectors.joining(" "));
    }
    return "-";
  }

  /** {@code 0->1 quic 12.5GB/s}, one per link, comma-separated; {@code -} without links. */
  static String links(Placement placement) {
    if (placement.getLinksCount() == 0) {
      return "-";
    }
    return placement.getLinksList().stream()
        .map(link -> link.getFromStage() + "->" + link.getToStage() + " " + status(link))
        .collect(Collectors.joining(", "));
  }

  /** {@code node1,node2}, or {@code -}. */
  static String cordoned(Placement placement) {
    return orDash(String.join(",", placement.getCordonedNodesList()));
  }

  /** The stages sorted by index, whatever order the document lists them in. */
  static List<Stage> stages(Placement placement) {
    return placement.getStagesList().stream()
        .sorted(Comparator.comparingLong(stage -> Integer.toUnsignedLong(stage.getIndex())))
        .toList();
  }

  /** {@code 0,1}, or {@code -}. */
  static String gpus(List<Integer> indexes) {
    return indexes.isEmpty()
        ? "-"
        : indexes.stream().map(Integer::toUnsignedString).collect(Collectors.joining(","));
  }

  /**
   * The transport and its bandwidth once negotiated ({@code quic 12.5GB/s}), else the state
   * ({@code pending}); a state other than ESTABLISHED is appended so a degraded link stands out.
   */
  static String status(StageLink link) {
    LinkStatus status = link.getStatus();
    String state = state(status).toLowerCase(Locale.ROOT);
    if (status.getTransport().isEmpty()) {
      return status.getState() == LinkState.LINK_STATE_UNSPECIFIED ? "pending" : state;
    }
    StringBuilder text = new StringBuilder(status.getTransport());
    if (status.getBandwidthBytesPerSecond() > 0) {
      text.append(' ').append(bandwidth(status.getBandwidthBytesPerSecond()));
    }
    if (status.getState() != LinkState.LINK_STATE_ESTABLISHED
        && status.getState() != LinkState.LINK_STATE_UNSPECIFIED) {
      text.append(" (").append(state).append(')');
    }
    return text.toString();
  }

  /** {@code ESTABLISHED}, {@code FAILED}, ...; {@code -} when unset. */
  static String state(LinkStatus status) {
    return status.getState() == LinkState.LINK_STATE_UNSPECIFIED
        ? "-"
        : ProtoText.shortName(status.getState(), status.getStateValue(), "LINK_STATE_");
  }

  /** See {@link LinkUnits#bandwidth}. */
  static String bandwidth(long bytesPerSecond) {
    return LinkUnits.bandwidth(bytesPerSecond);
  }

  /** See {@link LinkUnits#rtt}. */
  static String rtt(com.google.protobuf.Duration rtt) {
    return LinkUnits.rtt(rtt);
  }

  static String orDash(String value) {
    return value.isEmpty() ? "-" : value;
  }

  private static String replica(Replica replica) {
    return replica.getGpuIndexesCount() == 0
        ? replica.getNodeId()
        : replica.getNodeId() + "[" + gpus(replica.getGpuIndexesList()) + "]";
  }
}
