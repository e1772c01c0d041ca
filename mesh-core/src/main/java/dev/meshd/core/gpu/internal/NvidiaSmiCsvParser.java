package dev.meshd.core.gpu.internal;

import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Parses the output of {@code nvidia-smi --query-gpu=} {@link #QUERY_FIELDS} {@code
 * --format=csv,noheader,nounits}: one GPU per line, memory in MiB, utilization in percent.
 *
 * <p>nvidia-smi writes a bracketed placeholder where a figure is unavailable. {@code [N/A]} and
 * {@code [Not Supported]} (MIG mode, some virtual GPUs) read as 0 for memory used and
 * utilization; any other placeholder, such as {@code [GPU requires reset]} or {@code [Unknown
 * Error]}, also reads as 0 but marks the GPU unhealthy, since that is what nvidia-smi means by
 * it. A line whose index, uuid, name or memory.total is unusable is skipped and reported in
 * {@link Result#errors()} with its line number, so that one broken row does not hide the other
 * GPUs. Stateless and thread-safe.
 */
public final class NvidiaSmiCsvParser {

  /** The {@code --query-gpu} list this parser expects, in column order. */
  public static final String QUERY_FIELDS =
      "index,uuid,name,memory.total,memory.used,utilization.gpu,pci.bus_id";

  private static final int COLUMNS = 7;

  private static final long MIB = 1024L * 1024L;

  private static final Set<String> UNAVAILABLE = Set.of("[N/A]", "[Not Supported]");

  /**
   * @param gpus the usable rows, sorted by index
   * @param errors one message per unusable line, e.g. {@code line 3: memory.total: "[N/A]"
   *     (expected: MiB as an integer)}
   */
  public record Result(List<GpuInfo> gpus, List<String> errors) {
    public Result {
      gpus = List.copyOf(gpus);
      errors = List.copyOf(errors);
    }
  }

  private NvidiaSmiCsvParser() {}

  public static Result parse(String output) {
    List<GpuInfo> gpus = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<String> lines = output.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        gpus.add(parseRow(line));
      } catch (IllegalArgumentException e) {
        errors.add("line " + (i + 1) + ": " + e.getMessage());
      }
    }
    gpus.sort(Comparator.comparingInt(GpuInfo::index));
    return new Result(gpus, errors);
  }

  private static GpuInfo parseRow(String line) {
    String[] f = line.split(",", -1);
    if (f.length != COLUMNS) {
      throw new IllegalArgumentException(f.length + " fields (expected: " + COLUMNS + ": "
          + QUERY_FIELDS.replace(",", ", ") + ")");
    }
    for (int i = 0; i < f.length; i++) {
      f[i] = f[i].strip();
    }
    int index = (int) required("index", f[0], Integer.MAX_VALUE);
    String uuid = requiredText("uuid", f[1]);
    String name = requiredText("name", f[2]);
    long totalMib = required("memory.total", f[3], Long.MAX_VALUE / MIB);
    boolean healthy = isHealthy(f[4]) && isHealthy(f[5]);
    long usedMib = optional("memory.used", f[4], Long.MAX_VALUE / MIB);
    long utilizationPercent = optional("utilization.gpu", f[5], 100);
    return new GpuInfo(index, uuid, name, totalMib * MIB, usedMib * MIB,
        utilizationPercent / 100.0, "", healthy, GpuSource.NVIDIA_SMI);
  }

  private static String requiredText(String field, String value) {
    if (value.isEmpty() || value.startsWith("[")) {
      throw new IllegalArgumentException(field + ": " + quote(value) + " (expected: a value)");
    }
    return value;
  }

  private static long required(String field, String value, long max) {
    try {
      long n = Long.parseLong(value);
      if (n >= 0 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below with what was expected.
    }
    throw new IllegalArgumentException(
        field + ": " + quote(value) + " (expected: an integer from 0 to " + max + ")");
  }

  /** A figure that may be unavailable (placeholder: 0) but must not be garbage. */
  private static long optional(String field, String value, long max) {
    return value.startsWith("[") ? 0 : required(field, value, max);
  }

  private static boolean isHealthy(String value) {
    return !value.startsWith("[") || UNAVAILABLE.contains(value);
  }

  private static String quote(String value) {
    return '"' + value + '"';
  }
}
