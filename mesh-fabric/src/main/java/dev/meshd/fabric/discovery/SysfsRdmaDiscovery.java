package dev.meshd.fabric.discovery;

import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.RdmaPort;
import dev.meshd.fabric.discovery.internal.SysfsPortParser;
import dev.meshd.fabric.discovery.internal.SysfsPortParser.MalformedValueException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Finds RDMA ports by reading {@code <root>/class/infiniband/<dev>/ports/<n>/{state,phys_state,
 * rate,link_layer}}, the kernel's RDMA ABI. The root is {@code /sys} on a real host and a temp
 * directory in tests.
 *
 * <p>Never throws for what it reads: a missing directory gives an empty inventory with a reason,
 * and a port whose files are missing or malformed is skipped with a reason naming the file.
 * Stateless and thread-safe; each {@link #discover()} reads afresh.
 */
public final class SysfsRdmaDiscovery implements FabricDiscovery {

  /** Reads at most this much of a sysfs file: the real ones are a line; garbage may not be. */
  private static final int MAX_FILE_BYTES = 4096;

  private final Path root;

  /** Discovery under {@code root}, which stands for {@code /sys}. */
  public SysfsRdmaDiscovery(Path root) {
    this.root = Objects.requireNonNull(root, "root");
  }

  /** Discovery of this host's {@code /sys}. */
  public static SysfsRdmaDiscovery system() {
    return new SysfsRdmaDiscovery(Path.of("/sys"));
  }

  /** The RDMA ports found, ordered by device and port, with reasons for what was skipped. */
  @Override
  public FabricInventory discover() {
    Path classDir = root.resolve("class").resolve("infiniband");
    if (!Files.isDirectory(classDir)) {
      return FabricInventory.absent("no " + classDir);
    }
    List<RdmaPort> ports = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    List<Path> devices;
    try {
      devices = sortedEntries(classDir, Comparator.comparing(p -> p.getFileName().toString()));
    } catch (IOException | UncheckedIOException | SecurityException e) {
      return FabricInventory.absent("cannot list " + classDir + ": " + e.getMessage());
    }
    for (Path deviceDir : devices) {
      readDevice(deviceDir, ports, reasons);
    }
    if (devices.isEmpty()) {
      reasons.add("no RDMA devices under " + classDir);
    }
    return new FabricInventory(ports, List.of(), List.of(), List.of(), reasons);
  }

  private void readDevice(Path deviceDir, List<RdmaPort> ports, List<String> reasons) {
    String device = deviceDir.getFileName().toString();
    Path portsDir = deviceDir.resolve("ports");
    List<Path> portDirs;
    try {
      portDirs = sortedEntries(portsDir, Comparator.comparing(SysfsRdmaDiscovery::portOrder));
    } catch (IOException | UncheckedIOException | SecurityException e) {
      reasons.add("skipped " + device + ": cannot list " + portsDir + ": " + describe(e));
      return;
    }
    if (portDirs.isEmpty()) {
      reasons.add("skipped " + device + ": no ports under " + portsDir);
    }
    for (Path portDir : portDirs) {
      String name = portDir.getFileName().toString();
      int port = portOrder(portDir);
      if (port < 1) {
        reasons.add("skipped " + device + " " + portDir + ": not a port number");
        continue;
      }
      try {
        ports.add(readPort(device, port, portDir));
      } catch (MalformedValueException e) {
        reasons.add("skipped " + device + " port " + name + ": " + e.getMessage());
      }
    }
  }

  private static RdmaPort readPort(String device, int port, Path portDir)
      throws MalformedValueException {
    SysfsPortParser.Value physState = read(portDir.resolve("phys_state"));
    return new RdmaPort(
        device,
        port,
        SysfsPortParser.state(read(portDir.resolve("state"))),
        SysfsPortParser.physStateCode(physState),
        SysfsPortParser.physStateName(physState),
        SysfsPortParser.rateGbps(read(portDir.resolve("rate"))),
        SysfsPortParser.linkLayer(read(portDir.resolve("link_layer"))));
  }

  /** The file's first line, or a {@link MalformedValueException} naming the file. */
  private static SysfsPortParser.Value read(Path file) throws MalformedValueException {
    try (InputStream in = Files.newInputStream(file)) {
      String text = new String(in.readNBytes(MAX_FILE_BYTES), StandardCharsets.UTF_8);
      int newline = text.indexOf('\n');
      return new SysfsPortParser.Value(file, newline < 0 ? text : text.substring(0, newline));
    } catch (NoSuchFileException e) {
      throw new MalformedValueException(file + ": missing");
    } catch (IOException | UncheckedIOException | SecurityException e) {
      throw new MalformedValueException(file + ": unreadable: " + describe(e));
    }
  }

  private static List<Path> sortedEntries(Path dir, Comparator<Path> order) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(entries::add);
    }
    entries.sort(order);
    return entries;
  }

  /** The port number of a {@code ports/<n>} directory, or -1 when the name is not a number. */
  private static int portOrder(Path portDir) {
    String name = portDir.getFileName().toString();
    if (name.isEmpty() || name.length() > 5 || !name.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Integer.parseInt(name);
  }

  private static String describe(Exception e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }
}
