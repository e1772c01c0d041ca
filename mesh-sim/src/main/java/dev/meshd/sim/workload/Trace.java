package dev.meshd.sim.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * A request trace in the Azure LLM inference format ({@code TIMESTAMP,ContextTokens,
 * GeneratedTokens}): arrival offsets from the first request, prompt and output tokens. The two
 * Azure 2023 traces ship as resources ({@code builtin:azure-llm-2023-conv}, {@code
 * builtin:azure-llm-2023-code}; CC-BY 4.0, see traces/README.md). Immutable after loading.
 *
 * @param name where it came from
 * @param offsetNanos arrival times relative to the first, ascending
 * @param promptTokens per request
 * @param outputTokens per request
 */
public record Trace(String name, long[] offsetNanos, int[] promptTokens, int[] outputTokens) {

  public static final String BUILTIN = "builtin:";

  private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .toFormatter();

  public int size() {
    return offsetNanos.length;
  }

  /** From the first arrival to the last. */
  public long spanNanos() {
    return offsetNanos.length == 0 ? 0 : offsetNanos[offsetNanos.length - 1];
  }

  /** Requests per second over the span. */
  public double rate() {
    return spanNanos() == 0 ? 0 : (size() - 1) * 1e9 / spanNanos();
  }

  public double meanPromptTokens() {
    return Arrays.stream(promptTokens).average().orElse(0);
  }

  public double meanOutputTokens() {
    return Arrays.stream(outputTokens).average().orElse(0);
  }

  /**
   * Loads {@code builtin:NAME} from the resources or a file path (relative to {@code baseDir}).
   *
   * @throws IllegalArgumentException naming the line that cannot be read
   */
  public static Trace load(String source, Path baseDir) throws IOException {
    if (source.startsWith(BUILTIN)) {
      String name = source.substring(BUILTIN.length());
      InputStream in = Trace.class.getResourceAsStream("/traces/" + name + ".csv");
      if (in == null) {
        throw new IllegalArgumentException("\"" + source + "\" (expected: "
            + BUILTIN + "azure-llm-2023-conv, " + BUILTIN + "azure-llm-2023-code or a CSV file)");
      }
      try (in) {
        return read(source, in);
      }
    }
    Path file = baseDir.resolve(source);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("\"" + source + "\": no such file (expected: "
          + BUILTIN + "azure-llm-2023-conv or a CSV file TIMESTAMP,ContextTokens,GeneratedTokens)");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(source, in);
    }
  }

  static Trace read(String name, InputStream in) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String header = reader.readLine();
    if (header == null || !header.strip().startsWith("TIMESTAMP")) {
      throw new IllegalArgumentException(name + ": line 1: " + header
          + " (expected: the header TIMESTAMP,ContextTokens,GeneratedTokens)");
    }
    long[] offsets = new long[1024];
    int[] prompt = new int[1024];
    int[] output = new int[1024];
    int n = 0;
    LocalDateTime first = null;
    String line;
    int lineNo = 1;
    while ((line = reader.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      try {
        LocalDateTime t = LocalDateTime.parse(f[0].strip(), TIMESTAMP);
        if (first == null) {
          first = t;
        }
        if (n == offsets.length) {
          offsets = Arrays.copyOf(offsets, 2 * n);
          prompt = Arrays.copyOf(prompt, 2 * n);
          output = Arrays.copyOf(output, 2 * n);
        }
        offsets[n] = ChronoUnit.NANOS.between(first, t);
        prompt[n] = Integer.parseInt(f[1].strip());
        output[n] = Integer.parseInt(f[2].strip());
        if (offsets[n] < (n == 0 ? 0 : offsets[n - 1]) || prompt[n] < 0 || output[n] < 0) {
          throw new IllegalArgumentException("out of order or negative");
        }
        n++;
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(name + ": line " + lineNo + ": \"" + line
            + "\" (expected: TIMESTAMP,ContextTokens,GeneratedTokens in time order)");
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException(name + ": no requests (expected: at least one line)");
    }
    return new Trace(name, Arrays.copyOf(offsets, n), Arrays.copyOf(prompt, n),
        Arrays.copyOf(output, n));
  }
}
