package dev.meshd.fabric.discovery.internal;

import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.LinkLayer;
import dev.meshd.core.fabric.RdmaPort;
import dev.meshd.core.fabric.RdmaPortState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code ibv_devinfo} (with or without {@code -v}): {@code hca_id:} starts a device,
 * {@code port:} one of its ports, and the port's {@code state} ({@code PORT_ACTIVE (4)}) and
 * {@code link_layer} make an {@link RdmaPort}. Without {@code -v} the tool prints neither the
 * physical state nor the speed, so those are left unknown (0 / empty); with {@code -v},
 * {@code phys_state} ({@code LINK_UP (5)}) and {@code active_width} × {@code active_speed}
 * ({@code 4X (2)}, {@code 25.0 Gbps (32)}) fill them in.
 *
 * <p>Never throws on its input: output without a device ({@code Failed to get IB devices
 * list: ...}) is an empty inventory whose reason quotes the tool, and a port missing its state
 * or link layer is skipped with a reason. Stateless.
 */
public final class IbvDevinfoParser {

  private static final String TOOL = "ibv_devinfo";
  private static final Pattern FIELD = Pattern.compile("([a-z_]{1,40}):\\s*(.*?)\\s*");
  private static final Pattern CODED = Pattern.compile("([A-Z_]{1,30}) \\((\\d{1,3})\\)");
  private static final Pattern WIDTH = Pattern.compile("(\\d{1,2})X \\(\\d{1,3}\\)");
  private static final Pattern SPEED =
      Pattern.compile("(\\d{1,4}(?:\\.\\d{1,3})?) Gbps \\(\\d{1,4}\\)");

  private IbvDevinfoParser() {}

  /** The RDMA ports in {@code output}, with reasons for what could not be read. */
  public static FabricInventory parse(String output) {
    if (output == null || output.isBlank()) {
      return FabricInventory.absent(TOOL + ": empty output");
    }
    List<RdmaPort> ports = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    String device = null;
    int port = 0;
    Map<String, String> fields = new HashMap<>();
    for (String line : output.lines().toList()) {
      Matcher field = FIELD.matcher(line.strip());
      if (!field.matches()) {
        continue;
      }
      String key = field.group(1);
      String value = field.group(2);
      if (key.equals("hca_id") || key.equals("port")) {
        finishPort(device, port, fields, ports, reasons);
        fields.clear();
        port = 0;
        if (key.equals("hca_id")) {
          device = value.isBlank() ? null : value;
        } else if (device != null) {
          port = parsePort(value);
        }
      } else if (port > 0) {
        fields.put(key, value);
      }
    }
    finishPort(device, port, fields, ports, reasons);
    if (ports.isEmpty() && reasons.isEmpty()) {
      String first = output.strip().lines().findFirst().orElse("");
      return FabricInventory.absent(
          TOOL + ": no devices: " + SysfsPortParser.abbreviate(first));
    }
    return new FabricInventory(ports, List.of(), List.of(), List.of(), reasons);
  }

  private static void finishPort(String device, int port, Map<String, String> fields,
      List<RdmaPort> ports, List<String> reasons) {
    if (device == null || port <= 0) {
      return;
    }
    String where = TOOL + ": skipped " + device + " port " + port + ": ";
    Optional<RdmaPortState> state = portState(fields.getOrDefault("state", ""));
    if (state.isEmpty()) {
      reasons.add(where + "state '" + SysfsPortParser.abbreviate(fields.getOrDefault("state", ""))
          + "' (expected: PORT_<STATE> (<code>) such as 'PORT_ACTIVE (4)')");
      return;
    }
    Optional<LinkLayer> linkLayer = LinkLayer.ofLabel(fields.getOrDefault("link_layer", ""));
    if (linkLayer.isEmpty()) {
      reasons.add(where + "link_layer '"
          + SysfsPortParser.abbreviate(fields.getOrDefault("link_layer", ""))
          + "' (expected: InfiniBand, Ethernet or Unspecified)");
      return;
    }
    Matcher phys = CODED.matcher(fields.getOrDefault("phys_state", ""));
    boolean physKnown = phys.matches();
    ports.add(new RdmaPort(
        device,
        port,
        state.get(),
        physKnown ? Integer.parseInt(phys.group(2)) : 0,
        physKnown ? phys.group(1) : "",
        rateGbps(fields),
        linkLayer.get()));
  }

  private static Optional<RdmaPortState> portState(String value) {
    Matcher m = CODED.matcher(value);
    if (!m.matches()) {
      return Optional.empty();
    }
    return RdmaPortState.ofCode(Integer.parseInt(m.group(2)))
        .filter(state -> m.group(1).equals("PORT_" + state.name()));
  }

  /** active_width × active_speed, or 0 when {@code -v} was not given or either is unreadable. */
  private static double rateGbps(Map<String, String> fields) {
    Matcher width = WIDTH.matcher(fields.getOrDefault("active_width", ""));
    Matcher speed = SPEED.matcher(fields.getOrDefault("active_speed", ""));
    if (!width.matches() || !speed.matches()) {
      return 0;
    }
    return Integer.parseInt(width.group(1)) * Double.parseDouble(speed.group(1));
  }

  private static int parsePort(String value) {
    return value.matches("\\d{1,5}") ? Integer.parseInt(value) : 0;
  }
}
