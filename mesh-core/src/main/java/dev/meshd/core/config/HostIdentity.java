package dev.meshd.core.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The default {@code node.host-id}: what identifies this machine, so that agents on one host
 * (which may share NVLink) recognise each other.
 *
 * <p>systemd's {@code /etc/machine-id} is stable across reboots and renames and unique per
 * installation; the host name is the fallback where it is missing (containers, non-systemd
 * systems). Stateless and thread-safe.
 */
final class HostIdentity {

  private static final Path MACHINE_ID = Path.of("/etc/machine-id");

  private HostIdentity() {}

  /** This machine's id. */
  static String local() {
    return fromMachineIdOr(MACHINE_ID, HostIdentity::hostName);
  }

  /** The trimmed contents of {@code machineIdFile} if readable and non-empty, else the host. */
  static String fromMachineIdOr(Path machineIdFile, Supplier<String> hostName) {
    try {
      String id = Files.readString(machineIdFile).strip();
      if (!id.isEmpty()) {
        return id;
      }
    } catch (IOException | RuntimeException e) {
      // Unreadable or not text: fall back to the host name, as documented.
    }
    return hostName.get();
  }

  private static String hostName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return name == null || name.isBlank() ? "localhost" : name;
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
