package dev.meshd.fabric.libfabric.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses what the {@code fi_info} tool prints, for hosts where the library cannot be loaded
 * in-process but the tool runs: {@code fi_info -p <provider>} (one block per result, a
 * {@code provider:} line and indented {@code fabric:}, {@code domain:}, {@code version:},
 * {@code type:}, {@code protocol:} lines), {@code fi_info -l} (a {@code name:} line and an
 * indented {@code version:} per provider built in), and the error {@code fi_getinfo: -61} it
 * prints when nothing matches. Pure functions of text; never throws on its input.
 */
public final class FiInfoTextParser {

  private static final Pattern PROVIDER = Pattern.compile("provider:\\s*(\\S.{0,199})");
  private static final Pattern FIELD = Pattern.compile("\\s+([a-z_]{1,40}):\\s*(.{0,400}?)\\s*");
  private static final Pattern LISTED = Pattern.compile("([A-Za-z0-9_;.-]{1,100}):\\s*");
  private static final Pattern ERROR = Pattern.compile("fi_getinfo: -(\\d{1,5})");

  /** Texts of the errors fi_getinfo returns, for output that gives only the number. */
  private static final Map<Integer, String> ERRNO_TEXT = Map.of(
      FiStructs.FI_ENODATA, "No data available",
      38, "Function not implemented",
      22, "Invalid argument",
      12, "Cannot allocate memory",
      19, "No such device");

  private FiInfoTextParser() {}

  /** The results of {@code fi_info -p}, and what could not be read (never blank). */
  public record Providers(List<FiInfoEntry> entries, List<String> problems) {
    public Providers {
      entries = List.copyOf(entries);
      problems = List.copyOf(problems);
    }
  }

  /** The blocks of {@code fi_info} or {@code fi_info -p <provider>} output. */
  public static Providers parseProviders(String output) {
    List<FiInfoEntry> entries = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (output == null || output.isBlank()) {
      return new Providers(entries, List.of("empty output"));
    }
    String provider = null;
    Map<String, String> fields = new LinkedHashMap<>();
    int ignored = 0;
    for (String line : output.lines().toList()) {
      Matcher start = PROVIDER.matcher(line);
      Matcher field = FIELD.matcher(line);
      if (start.matches()) {
        finish(provider, fields, entries, problems);
        provider = start.group(1).strip();
        fields.clear();
      } else if (provider != null && field.matches()) {
        fields.put(field.group(1), field.group(2));
      } else if (line.strip().equals("fi_info:")) {
        return new Providers(List.of(), List.of(
            "verbose output (fi_info -v) is not read (expected: fi_info -p <provider>)"));
      } else if (!line.isBlank()) {
        ignored++;
      }
    }
    finish(provider, fields, entries, problems);
    if (ignored > 0) {
      problems.add(ignored + " line(s) not understood");
    }
    return new Providers(entries, problems);
  }

  private static void finish(String provider, Map<String, String> fields,
      List<FiInfoEntry> entries, List<String> problems) {
    if (provider == null) {
      return;
    }
    for (String required : List.of("fabric", "domain", "type")) {
      if (fields.getOrDefault(required, "").isBlank()) {
        problems.add("skipped a " + provider + " entry without " + required);
        return;
      }
    }
    // fi_info does not print mode or mr_mode in this form; they matter only to open a domain.
    entries.add(new FiInfoEntry(provider, fields.get("fabric"), fields.get("domain"),
        fields.get("type"), 0, 0));
  }

  /** The providers {@code fi_info -l} lists, with their versions ({@code 117.0}), in order. */
  public static Map<String, String> parseList(String output) {
    Map<String, String> providers = new LinkedHashMap<>();
    String current = null;
    for (String line : output == null ? List.<String>of() : output.lines().toList()) {
      Matcher name = LISTED.matcher(line);
      Matcher field = FIELD.matcher(line);
      if (name.matches()) {
        current = name.group(1);
        providers.put(current, "");
      } else if (current != null && field.matches() && field.group(1).equals("version")) {
        providers.put(current, field.group(2));
      }
    }
    return providers;
  }

  /** The error number in {@code fi_getinfo: -61}, if the output carries one. */
  public static OptionalInt getinfoError(String output) {
    Matcher m = ERROR.matcher(output == null ? "" : output);
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  /** {@code No data available} for 61, as fi_strerror would say; empty for others. */
  public static Optional<String> errnoText(int errno) {
    return Optional.ofNullable(ERRNO_TEXT.get(errno));
  }
}
