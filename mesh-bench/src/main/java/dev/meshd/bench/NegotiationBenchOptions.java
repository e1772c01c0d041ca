package dev.meshd.bench;

import dev.meshd.fabric.negotiate.NegotiationSettings;
import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The options of {@code mesh-bench fabric-negotiate}. Immutable.
 *
 * @param probes the probes of the negotiation-time runs, in order; the first gets the cold run
 * @param warm negotiations per probe after the cold one
 * @param fallbackProbe the probe of the fallback runs; its deadline is the try deadline there
 * @param fallbackRuns negotiations per failure (and without one)
 */
record NegotiationBenchOptions(List<ProbeSpec> probes, int warm, ProbeSpec fallbackProbe,
    int fallbackRuns) {

  static final String USAGE = "usage: mesh-bench fabric-negotiate [--probes 64x1024,8x64]"
      + " [--pings 16] [--try-deadline-ms 5000] [--warm 20] [--fallback-probe 8x64]"
      + " [--fallback-deadline-ms 1000] [--fallback-runs 5]"
      + " (a probe is MESSAGESxKIB: messages of KIB KiB each)";

  private static final Set<String> KNOWN = Set.of("probes", "pings", "try-deadline-ms", "warm",
      "fallback-probe", "fallback-deadline-ms", "fallback-runs");

  NegotiationBenchOptions {
    probes = List.copyOf(probes);
    if (probes.isEmpty()) {
      throw new IllegalArgumentException("--probes: none (expected: at least one)");
    }
  }

  /**
   * Defaults: the standard probe ({@link ProbeSpec#standard()}: 16 pings, 64 x 1 MiB, 5 s per
   * try), as every agent negotiation sends it, then 8 x 64 KiB, where the bulk phase is small
   * enough that the handshake and the protocol show; 20 warm runs, enough for a p90; fallbacks
   * with 8 x 64 KiB and a 1 s try deadline, so a probe that hangs costs 1 s, not 5, per run.
   *
   * @throws IllegalArgumentException naming the option and what was expected
   */
  static NegotiationBenchOptions parse(String[] args) {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " (expected: --option value); " + USAGE);
      }
      String name = args[i].substring(2);
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + "; " + USAGE);
      }
      given.put(name, args[i + 1]);
    }
    int pings = number(given, "pings", ProbeSpec.standard().pings(), 1);
    Duration tryDeadline = Duration.ofMillis(number(given, "try-deadline-ms",
        (int) ProbeSpec.standard().deadline().toMillis(), 1));
    Duration fallbackDeadline = Duration.ofMillis(number(given, "fallback-deadline-ms", 1000, 1));
    List<ProbeSpec> probes = new ArrayList<>();
    for (String probe : given.getOrDefault("probes", "64x1024,8x64").split(",")) {
      probes.add(probe("probes", probe.strip(), pings, tryDeadline));
    }
    return new NegotiationBenchOptions(probes, number(given, "warm", 20, 1),
        probe("fallback-probe", given.getOrDefault("fallback-probe", "8x64"), pings,
            fallbackDeadline),
        number(given, "fallback-runs", 5, 1));
  }

  /** {@code 16 pings + 64 x 1024 KiB}. */
  static String describe(ProbeSpec probe) {
    return probe.pings() + " pings + " + probe.messages() + " x " + (probe.messageBytes() >> 10)
        + " KiB";
  }

  /** The options as a command line that repeats this run. */
  @Override
  public String toString() {
    return "--probes " + probes.stream().map(NegotiationBenchOptions::flag)
        .collect(Collectors.joining(","))
        + " --pings " + probes.getFirst().pings()
        + " --try-deadline-ms " + probes.getFirst().deadline().toMillis()
        + " --warm " + warm
        + " --fallback-probe " + flag(fallbackProbe)
        + " --fallback-deadline-ms " + fallbackProbe.deadline().toMillis()
        + " --fallback-runs " + fallbackRuns;
  }

  private static String flag(ProbeSpec probe) {
    return probe.messages() + "x" + (probe.messageBytes() >> 10);
  }

  private static ProbeSpec probe(String option, String text, int pings, Duration deadline) {
    String[] parts = text.split("x", -1);
    try {
      if (parts.length != 2) {
        throw new NumberFormatException();
      }
      int messages = Integer.parseInt(parts[0]);
      int kib = Integer.parseInt(parts[1]);
      if (deadline.compareTo(NegotiationSettings.MAX_TRY_DEADLINE) > 0) {
        throw new IllegalArgumentException("deadline " + deadline.toMillis() + " ms (expected: at"
            + " most " + NegotiationSettings.MAX_TRY_DEADLINE.toMillis() + ")");
      }
      return new ProbeSpec(pings, Math.multiplyExact(kib, 1024), messages, deadline);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("--" + option + ": " + text
          + " (expected: MESSAGESxKIB, e.g. 64x1024)");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + option + ": " + text + ": " + e.getMessage());
    }
  }

  private static int number(Map<String, String> given, String option, int otherwise,
      int minimum) {
    String text = given.get(option);
    if (text == null) {
      return otherwise;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= minimum) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--" + option + ": " + text + " (expected: a whole number >= " + minimum + ")");
  }
}
