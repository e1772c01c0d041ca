package dev.meshd.cli.fabric;

import dev.meshd.cli.output.LinkUnits;
import dev.meshd.cli.output.ProtoText;
import dev.meshd.cli.output.Table;
import dev.meshd.proto.v1.LinkState;
import dev.meshd.proto.v1.LinkStatus;
import dev.meshd.proto.v1.ProbeResponse;
import dev.meshd.proto.v1.TransportTry;
import dev.meshd.proto.v1.TryState;
import java.util.Locale;

/**
 * The {@code fabric probe} report: the two ends, one row per transport in the order negotiated
 * (TRY, TRANSPORT, RESULT, CLASS, BANDWIDTH, RTT, REASON), and the link they came to. Stateless.
 */
final class ProbeReport {

  private ProbeReport() {}

  static String render(ProbeResponse response) {
    StringBuilder text = new StringBuilder();
    text.append("Probe:  ").append(response.getUpstream().getNodeId()).append(" -> ")
        .append(response.getDownstream().getNodeId()).append("\n\n");
    Table table = Table.withColumns(
        "TRY", "TRANSPORT", "RESULT", "CLASS", "BANDWIDTH", "RTT", "REASON");
    int n = 1;
    for (TransportTry t : response.getTriesList()) {
      boolean measured = t.hasMeasured();
      table.addRow(
          Integer.toString(n++),
          t.getTransport(),
          result(t),
          LinkTable.orDash(t.getFabricClass()),
          measured ? LinkUnits.bandwidth(t.getMeasured().getBytesPerSecond()) : "-",
          measured ? LinkUnits.rtt(t.getMeasured().getRtt()) : "-",
          t.hasRefusal() ? reason(t) : "-");
    }
    if (response.getTriesCount() > 0) {
      text.append(table.render()).append('\n');
    }
    text.append("Link:   ").append(link(response.getLink())).append('\n');
    return text.toString();
  }

  /** {@code skipped}, {@code failed}, {@code succeeded}. */
  static String result(TransportTry t) {
    return t.getState() == TryState.TRY_STATE_UNSPECIFIED
        ? "-"
        : ProtoText.shortName(t.getState(), t.getStateValue(), "TRY_STATE_")
            .toLowerCase(Locale.ROOT);
  }

  private static String reason(TransportTry t) {
    String detail = t.getRefusal().getDetail();
    return detail.isEmpty() ? t.getRefusal().getReason()
        : t.getRefusal().getReason() + ": " + detail;
  }

  /** {@code quic (QUIC) 1.2GB/s, RTT 85µs, ESTABLISHED}, or {@code FAILED: why}. */
  static String link(LinkStatus status) {
    String state = LinkTable.state(status);
    if (status.getState() == LinkState.LINK_STATE_FAILED || status.getTransport().isEmpty()) {
      return status.getReason().isEmpty() ? state : state + ": " + status.getReason();
    }
    StringBuilder text = new StringBuilder(status.getTransport());
    if (!status.getFabricClass().isEmpty()) {
      text.append(" (").append(status.getFabricClass()).append(')');
    }
    text.append(' ').append(LinkTable.bandwidth(status))
        .append(", RTT ").append(LinkTable.rtt(status))
        .append(", ").append(state);
    if (!status.getReason().isEmpty()) {
      text.append(": ").append(status.getReason());
    }
    return text.toString();
  }
}
