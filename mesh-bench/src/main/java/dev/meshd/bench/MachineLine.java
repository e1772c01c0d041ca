package dev.meshd.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** One line that says which machine a bench ran on and how loaded it was. Stateless. */
final class MachineLine {

  private MachineLine() {}

  /** {@code AMD EPYC, 2 cores, Linux 6.1.0 amd64, Java 25.0.3+9 (Eclipse Adoptium), load ...}. */
  static String describe() {
    return String.format(Locale.ROOT, "%s, %d cores, %s %s %s, Java %s (%s), %s", cpuModel(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
        System.getProperty("os.version"), System.getProperty("os.arch"),
        System.getProperty("java.runtime.version"), System.getProperty("java.vendor"), load());
  }

  /** The 1-minute load average, which says how much else ran. */
  static String load() {
    return String.format(Locale.ROOT, "load average %.2f",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).strip())
          .findFirst().orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }
}
