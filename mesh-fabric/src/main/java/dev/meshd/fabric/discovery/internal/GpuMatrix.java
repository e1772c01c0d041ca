package dev.meshd.fabric.discovery.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GPU-by-GPU matrix as {@code nvidia-smi topo -m} and {@code rocm-smi --showtopo} print it: a
 * header line of column names whose first is {@code GPU0}, then one row per device whose first
 * token is its name. Columns that are not GPUs ({@code NIC0}, {@code mlx5_0}) are kept for
 * position and ignored; anything from a {@code CPU} column on (CPU and NUMA affinity) is not
 * part of the matrix. Immutable.
 *
 * @param gpuColumns GPU index → position among the cells of a row
 * @param rows GPU index → that row's cells, without the row name
 */
record GpuMatrix(Map<Integer, Integer> gpuColumns, Map<Integer, List<String>> rows) {

  private static final Pattern GPU_NAME = Pattern.compile("GPU(\\d{1,4})");
  /** Terminal colour and underline codes, which nvidia-smi puts around its header. */
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

  GpuMatrix {
    gpuColumns = Map.copyOf(gpuColumns);
    rows = Map.copyOf(rows);
  }

  /** The matrix in these lines, or empty when no header starting with {@code GPU0} is found. */
  static Optional<GpuMatrix> parse(List<String> lines) {
    Map<Integer, Integer> gpuColumns = null;
    int width = 0;
    Map<Integer, List<String>> rows = new LinkedHashMap<>();
    for (String raw : lines) {
      List<String> tokens = tokens(raw);
      if (tokens.isEmpty()) {
        continue;
      }
      Optional<Integer> first = gpuIndex(tokens.getFirst());
      if (first.isEmpty()) {
        continue;
      }
      if (gpuColumns == null) {
        gpuColumns = new LinkedHashMap<>();
        for (String name : tokens) {
          if (name.equals("CPU")) {
            break;
          }
          Optional<Integer> column = gpuIndex(name);
          if (column.isPresent()) {
            gpuColumns.putIfAbsent(column.get(), width);
          }
          width++;
        }
      } else {
        rows.putIfAbsent(first.get(),
            tokens.subList(1, Math.min(tokens.size(), width + 1)));
      }
    }
    return gpuColumns == null ? Optional.empty() : Optional.of(new GpuMatrix(gpuColumns, rows));
  }

  /** The cell of {@code rowGpu}'s row in {@code columnGpu}'s column, if both are there. */
  Optional<String> cell(int rowGpu, int columnGpu) {
    List<String> row = rows.get(rowGpu);
    Integer column = gpuColumns.get(columnGpu);
    if (row == null || column == null || column >= row.size()) {
      return Optional.empty();
    }
    return Optional.of(row.get(column));
  }

  /** GPU indexes of the columns, ascending. */
  List<Integer> gpus() {
    return gpuColumns.keySet().stream().sorted().toList();
  }

  private static List<String> tokens(String line) {
    String clean = ANSI.matcher(line).replaceAll("").strip();
    return clean.isEmpty() ? List.of() : new ArrayList<>(List.of(clean.split("\\s+")));
  }

  private static Optional<Integer> gpuIndex(String token) {
    Matcher m = GPU_NAME.matcher(token);
    return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }
}
