package dev.meshd.cli.nodes;

import dev.meshd.cli.output.Description;
import dev.meshd.cli.output.ProtoText;
import dev.meshd.cli.output.Table;
import dev.meshd.proto.v1.Fabric;
import java.util.List;
import java.util.Locale;

/**
 * The fabric section of {@code describe-node}: the classes on offer, then a table each of RDMA
 * ports, libfabric providers and GPU peer links (only those the node has), its QUIC endpoint,
 * and the reasons for what is missing. Stateless.
 */
final class FabricDescription {

  private FabricDescription() {}

  /** Adds the section to {@code text}; tables are indented by {@code indent}. */
  static void append(Description text, Fabric fabric, String indent) {
    text.field("Fabric", NodeCells.allFabricClasses(fabric));
    if (fabric.getRdmaPortsCount() > 0) {
      text.field("RDMA ports", Integer.toString(fabric.getRdmaPortsCount()))
          .block(rdmaTable(fabric.getRdmaPortsList(), indent));
    }
    if (fabric.getLibfabricProvidersCount() > 0) {
      text.field("libfabric", Integer.toString(fabric.getLibfabricProvidersCount()))
          .block(providerTable(fabric.getLibfabricProvidersList(), indent));
    }
    if (fabric.getGpuPeerLinksCount() > 0) {
      text.field("GPU peer links", Integer.toString(fabric.getGpuPeerLinksCount()))
          .block(peerLinkTable(fabric.getGpuPeerLinksList(), indent));
    }
    text.field("QUIC endpoint", quic(fabric))
        .field("Fabric reasons", fabric.getReasonsList());
  }

  /** The address, and the fingerprint on its own line (64 hex digits are long). */
  private static List<String> quic(Fabric fabric) {
    if (!fabric.hasQuic()) {
      return List.of("-");
    }
    Fabric.QuicEndpoint quic = fabric.getQuic();
    return List.of(NodeCells.orDash(quic.getAddress()),
        "sha256 " + NodeCells.orDash(quic.getCertificateSha256()));
  }

  private static String rdmaTable(List<Fabric.RdmaPort> ports, String indent) {
    Table table = Table.withColumns("DEVICE", "PORT", "STATE", "PHYS", "LINK LAYER", "RATE");
    for (Fabric.RdmaPort port : ports) {
      table.addRow(
          NodeCells.orDash(port.getDevice()),
          Integer.toUnsignedString(port.getPort()),
          ProtoText.shortName(port.getState(), port.getStateValue(), "RDMA_PORT_STATE_"),
          NodeCells.orDash(port.getPhysState()),
          NodeCells.orDash(port.getLinkLayer()),
          rate(port.getRateGbps()));
    }
    return table.render(indent);
  }

  private static String providerTable(List<Fabric.LibfabricProvider> providers, String indent) {
    Table table = Table.withColumns("PROVIDER", "FABRIC", "DOMAIN", "ENDPOINT", "CLASS");
    for (Fabric.LibfabricProvider provider : providers) {
      table.addRow(
          NodeCells.orDash(provider.getName()),
          NodeCells.orDash(provider.getFabric()),
          NodeCells.orDash(provider.getDomain()),
          NodeCells.orDash(provider.getEndpointType()),
          NodeCells.orDash(provider.getFabricClass()));
    }
    return table.render(indent);
  }

  private static String peerLinkTable(List<Fabric.GpuPeerLink> links, String indent) {
    Table table = Table.withColumns("GPU A", "GPU B", "KIND", "LINKS");
    for (Fabric.GpuPeerLink link : links) {
      table.addRow(
          Integer.toUnsignedString(link.getGpuA()),
          Integer.toUnsignedString(link.getGpuB()),
          ProtoText.shortName(link.getKind(), link.getKindValue(), "GPU_LINK_KIND_"),
          link.getLinkCount() == 0 ? "-" : Integer.toUnsignedString(link.getLinkCount()));
    }
    return table.render(indent);
  }

  /** {@code 400 Gb/s}, {@code 2.5 Gb/s}; {@code -} when unknown (0). */
  static String rate(double gbps) {
    if (!(gbps > 0)) {
      return "-";
    }
    String number = gbps == Math.rint(gbps)
        ? Long.toString((long) gbps)
        : String.format(Locale.ROOT, "%.1f", gbps);
    return number + " Gb/s";
  }
}
