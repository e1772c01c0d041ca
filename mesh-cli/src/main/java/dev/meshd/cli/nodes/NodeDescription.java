package dev.meshd.cli.nodes;

import dev.meshd.cli.output.Description;
import dev.meshd.cli.output.Gibibytes;
import dev.meshd.cli.output.ProtoText;
import dev.meshd.cli.output.Table;
import dev.meshd.proto.v1.Gpu;
import dev.meshd.proto.v1.Node;
import dev.meshd.proto.v1.Runtime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code describe-node} text: every field of a {@link Node}, one per line, then one line per
 * GPU and per runtime, then the node's fabric ({@link FabricDescription}). Stateless.
 */
final class NodeDescription {

  private static final String INDENT = "  ";

  private NodeDescription() {}

  /** The description; times are shown with their age against {@code now}. */
  static String render(Node node, Instant now) {
    Description text =
        new Description()
            .field("Node", node.getId())
            .field("Host ID", node.getHostId())
            .field("Address", node.getAddress())
            .field("Gossip address", node.getGossipAddress())
            .field("Metrics address", node.getMetricsAddress())
            .field("Zone", node.getZone())
            .field("Region", node.getRegion())
            .field("Labels", labels(node))
            .field("Roles", String.join(", ", node.getRolesList()))
            .field("State", state(node, now));
    if (node.getDraining()) {
      text.field("Draining", draining(node, now));
    }
    text.field("Agent version", node.getAgentVersion())
        .field("Record version", Long.toString(node.getRecordVersion()))
        .field("Last updated", ProtoText.instantWithAge(
            ProtoText.instant(node.hasLastUpdated(), node.getLastUpdated()), now))
        .field("First seen", ProtoText.instantWithAge(
            ProtoText.instant(node.hasFirstSeen(), node.getFirstSeen()), now))
        .field("GPUs", NodeCells.gpus(node) + vramSuffix(node));
    if (node.getGpusCount() > 0) {
      text.block(gpuTable(node.getGpusList()));
    }
    text.field("Runtimes", Integer.toString(node.getRuntimesCount()));
    if (node.getRuntimesCount() > 0) {
      text.block(runtimeTable(node.getRuntimesList()));
    }
    FabricDescription.append(text, node.getFabric(), INDENT);
    return text.render();
  }

  private static List<String> labels(Node node) {
    return node.getLabelsMap().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(label -> label.getKey() + "=" + label.getValue())
        .toList();
  }

  private static String state(Node node, Instant now) {
    if (!node.hasStateSince()) {
      return NodeCells.state(node);
    }
    return NodeCells.state(node) + " since " + ProtoText.instantWithAge(
        ProtoText.instant(true, node.getStateSince()), now);
  }

  /** {@code since 2026-11-29T10:00:00Z (5m ago): kernel upgrade}; the reason may be absent. */
  private static String draining(Node node, Instant now) {
    String since = node.hasDrainingSince()
        ? "since " + ProtoText.instantWithAge(
            ProtoText.instant(true, node.getDrainingSince()), now)
        : "yes";
    return node.getDrainReason().isEmpty() ? since : since + ": " + node.getDrainReason();
  }

  private static String vramSuffix(Node node) {
    return node.getGpusCount() == 0 ? "" : ", " + NodeCells.vram(node);
  }

  private static String gpuTable(List<Gpu> gpus) {
    Table table =
        Table.withColumns("INDEX", "MODEL", "UUID", "VRAM", "UTIL", "MIG", "HEALTHY", "SOURCE");
    for (Gpu gpu : gpus) {
      table.addRow(
          Integer.toUnsignedString(gpu.getIndex()),
          NodeCells.orDash(gpu.getModel()),
          NodeCells.orDash(gpu.getUuid()),
          Gibibytes.usedOfTotal(gpu.getVramUsedBytes(), gpu.getVramTotalBytes()),
          Math.round(gpu.getUtilization() * 100) + "%",
          NodeCells.orDash(gpu.getMigProfile()),
          gpu.getHealthy() ? "yes" : "no",
          ProtoText.shortName(gpu.getSource(), gpu.getSourceValue(), "GPU_SOURCE_"));
    }
    return table.render(INDENT);
  }

  private static String runtimeTable(List<Runtime> runtimes) {
    Table table = Table.withColumns("KIND", "ENDPOINT", "MODELS");
    for (Runtime runtime : runtimes) {
      table.addRow(
          ProtoText.shortName(runtime.getKind(), runtime.getKindValue(), "RUNTIME_KIND_"),
          NodeCells.orDash(runtime.getEndpoint()),
          NodeCells.orDash(String.join(",", runtime.getModelsList())));
    }
    return table.render(INDENT);
  }
}
