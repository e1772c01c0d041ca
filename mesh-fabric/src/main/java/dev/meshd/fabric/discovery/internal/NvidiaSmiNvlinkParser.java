package dev.meshd.fabric.discovery.internal;

import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.NvLinkLane;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code nvidia-smi nvlink -s}: a {@code GPU <n>: <name> (UUID: ...)} line per GPU, then
 * {@code Link <k>: <speed> GB/s} or {@code Link <k>: <inactive>} per link. The tool names no
 * peer, so the result is {@link NvLinkLane}s, not peer links.
 *
 * <p>Never throws on its input: unrecognised lines are counted in one reason, and text with no
 * GPU line gives an empty inventory with a reason. Stateless.
 */
public final class NvidiaSmiNvlinkParser {

  private static final String TOOL = "nvidia-smi nvlink -s";
  private static final Pattern GPU = Pattern.compile("GPU (\\d{1,4}):.*");
  private static final Pattern LINK =
      Pattern.compile("Link (\\d{1,3}): (?:<inactive>|(\\d{1,6}(?:\\.\\d{1,6})?) GB/s)");

  private NvidiaSmiNvlinkParser() {}

  /** The NVLink lanes in {@code output}, with reasons for what could not be read. */
  public static FabricInventory parse(String output) {
    if (output == null || output.isBlank()) {
      return FabricInventory.absent(TOOL + ": empty output");
    }
    List<NvLinkLane> lanes = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    int gpu = -1;
    int gpusSeen = 0;
    int unrecognised = 0;
    for (String raw : output.lines().toList()) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      Matcher g = GPU.matcher(line);
      Matcher l = LINK.matcher(line);
      if (g.matches()) {
        gpu = Integer.parseInt(g.group(1));
        gpusSeen++;
      } else if (l.matches() && gpu >= 0) {
        int link = Integer.parseInt(l.group(1));
        lanes.add(l.group(2) == null
            ? new NvLinkLane(gpu, link, false, 0)
            : new NvLinkLane(gpu, link, true, gigabytesToBytes(l.group(2))));
      } else {
        unrecognised++;
      }
    }
    if (gpusSeen == 0) {
      return FabricInventory.absent(TOOL + ": no GPU lines found (expected: 'GPU 0: ...')");
    }
    if (unrecognised > 0) {
      reasons.add(TOOL + ": ignored " + unrecognised + " unrecognised line(s)");
    }
    if (lanes.isEmpty()) {
      reasons.add(TOOL + ": no NVLink links reported");
    }
    return new FabricInventory(List.of(), List.of(), lanes, List.of(), reasons);
  }

  /** Decimal GB as nvidia-smi prints it, exactly: 25.781 → 25,781,000,000. */
  private static long gigabytesToBytes(String gigabytes) {
    return new BigDecimal(gigabytes).movePointRight(9).longValue();
  }
}
