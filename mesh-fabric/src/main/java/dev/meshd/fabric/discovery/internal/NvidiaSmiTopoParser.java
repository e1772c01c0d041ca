package dev.meshd.fabric.discovery.internal;

import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.GpuLinkKind;
import dev.meshd.core.fabric.GpuPeerLink;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code nvidia-smi topo -m}: the GPU-by-GPU part of its matrix becomes one {@link
 * GpuPeerLink} per pair ({@code NV6} → NVLink with 6 links, {@code PHB} → a PCIe path through the
 * host bridge, ...). NIC rows and columns, the affinity columns and the legends are ignored.
 *
 * <p>Never throws on its input: empty or unrecognisable text gives an empty inventory with a
 * reason, and a cell it does not know skips that pair with a reason. Stateless.
 */
public final class NvidiaSmiTopoParser {

  private static final String TOOL = "nvidia-smi topo -m";
  private static final Pattern NVLINK = Pattern.compile("NV(\\d{1,3})");

  private NvidiaSmiTopoParser() {}

  /** The GPU peer links in {@code output}, with reasons for what could not be read. */
  public static FabricInventory parse(String output) {
    if (output == null || output.isBlank()) {
      return FabricInventory.absent(TOOL + ": empty output");
    }
    Optional<GpuMatrix> parsed = GpuMatrix.parse(output.lines().toList());
    if (parsed.isEmpty()) {
      return FabricInventory.absent(TOOL + ": no GPU matrix found (expected a header GPU0 ...)");
    }
    GpuMatrix matrix = parsed.get();
    List<Integer> gpus = matrix.gpus();
    List<GpuPeerLink> links = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    if (gpus.size() < 2) {
      reasons.add(TOOL + ": " + gpus.size() + " GPU(s), no peer links");
    }
    for (int i = 0; i < gpus.size(); i++) {
      for (int j = i + 1; j < gpus.size(); j++) {
        int a = gpus.get(i);
        int b = gpus.get(j);
        Optional<String> cell = matrix.cell(a, b);
        if (cell.isEmpty()) {
          reasons.add(TOOL + ": no cell for GPU" + a + "-GPU" + b);
          continue;
        }
        Optional<GpuPeerLink> link = link(a, b, cell.get());
        if (link.isPresent()) {
          links.add(link.get());
        } else {
          reasons.add(TOOL + ": GPU" + a + "-GPU" + b + ": unknown connection '"
              + SysfsPortParser.abbreviate(cell.get())
              + "' (expected: NV#, PIX, PXB, PHB, NODE or SYS)");
        }
      }
    }
    return new FabricInventory(List.of(), links, List.of(), List.of(), reasons);
  }

  private static Optional<GpuPeerLink> link(int a, int b, String cell) {
    Matcher nv = NVLINK.matcher(cell);
    if (nv.matches()) {
      int count = Integer.parseInt(nv.group(1));
      return count == 0
          ? Optional.empty()
          : Optional.of(new GpuPeerLink(a, b, GpuLinkKind.NVLINK, count));
    }
    GpuLinkKind kind = switch (cell) {
      case "PIX" -> GpuLinkKind.PIX;
      case "PXB" -> GpuLinkKind.PXB;
      case "PHB" -> GpuLinkKind.PHB;
      case "NODE" -> GpuLinkKind.NODE;
      case "SYS", "SOC" -> GpuLinkKind.SYS;
      default -> null;
    };
    return Optional.ofNullable(kind).map(k -> new GpuPeerLink(a, b, k, 0));
  }
}
