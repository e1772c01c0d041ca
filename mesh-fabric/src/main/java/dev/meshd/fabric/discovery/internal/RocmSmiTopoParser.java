package dev.meshd.fabric.discovery.internal;

import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.GpuLinkKind;
import dev.meshd.core.fabric.GpuPeerLink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses {@code rocm-smi --showtopo}: its tables are sections under {@code ===== title =====}
 * lines. The "Link Type between two GPUs" table gives each pair's kind ({@code XGMI} or
 * {@code PCIE}); the "Hops between two GPUs" table, when present, is used to note XGMI pairs
 * that are not directly connected. rocm-smi does not say how many XGMI links join a pair, so
 * {@link GpuPeerLink#linkCount()} is 0.
 *
 * <p>Never throws on its input: missing tables or unknown cells give reasons. Stateless.
 */
public final class RocmSmiTopoParser {

  private static final String TOOL = "rocm-smi --showtopo";
  private static final String LINK_TYPE_TABLE = "Link Type between two GPUs";
  private static final String HOPS_TABLE = "Hops between two GPUs";

  private RocmSmiTopoParser() {}

  /** The GPU peer links in {@code output}, with reasons for what could not be read. */
  public static FabricInventory parse(String output) {
    if (output == null || output.isBlank()) {
      return FabricInventory.absent(TOOL + ": empty output");
    }
    Map<String, List<String>> sections = sections(output);
    Optional<GpuMatrix> linkTypes = table(sections, LINK_TYPE_TABLE);
    if (linkTypes.isEmpty()) {
      return FabricInventory.absent(TOOL + ": no '" + LINK_TYPE_TABLE + "' table found");
    }
    Optional<GpuMatrix> hops = table(sections, HOPS_TABLE);
    GpuMatrix matrix = linkTypes.get();
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
        String pair = "GPU" + a + "-GPU" + b;
        String cell = matrix.cell(a, b).orElse("");
        GpuLinkKind kind = switch (cell) {
          case "XGMI" -> GpuLinkKind.XGMI;
          case "PCIE" -> GpuLinkKind.PCIE;
          default -> null;
        };
        if (kind == null) {
          reasons.add(TOOL + ": " + pair + ": unknown link type '"
              + SysfsPortParser.abbreviate(cell) + "' (expected: XGMI or PCIE)");
          continue;
        }
        links.add(new GpuPeerLink(a, b, kind, 0));
        Optional<String> hopCount = hops.flatMap(h -> h.cell(a, b));
        if (kind == GpuLinkKind.XGMI && hopCount.isPresent() && !hopCount.get().equals("1")) {
          reasons.add(TOOL + ": " + pair + ": XGMI over " + hopCount.get() + " hops");
        }
      }
    }
    return new FabricInventory(List.of(), links, List.of(), List.of(), reasons);
  }

  private static Optional<GpuMatrix> table(Map<String, List<String>> sections, String title) {
    return sections.entrySet().stream()
        .filter(e -> e.getKey().contains(title))
        .findFirst()
        .flatMap(e -> GpuMatrix.parse(e.getValue()));
  }

  /** Title (the text between the {@code =} runs) → the lines under it. */
  private static Map<String, List<String>> sections(String output) {
    Map<String, List<String>> sections = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : output.lines().toList()) {
      String stripped = line.strip();
      if (stripped.startsWith("===") && stripped.endsWith("===")) {
        current = new ArrayList<>();
        sections.put(stripped.replaceAll("^=+|=+$", "").strip(), current);
      } else if (current != null) {
        current.add(line);
      }
    }
    return sections;
  }
}
