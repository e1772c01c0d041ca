package dev.meshd.sim;

import dev.meshd.core.config.ConfigException;
import dev.meshd.sim.config.Examples;
import dev.meshd.sim.config.SimConfig;
import dev.meshd.sim.config.SimConfigLoader;
import dev.meshd.sim.engine.Scenario;
import dev.meshd.sim.engine.Simulation;
import dev.meshd.sim.report.Reports;
import dev.meshd.sim.report.RunResult;
import dev.meshd.sim.workload.Arrivals;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * {@code mesh-sim generate|validate|run}: the simulator's command line. Exit codes as the other
 * tools': 0 success, 1 a run broke an invariant, 2 bad usage or an invalid config (each problem on
 * its own line, naming file, line and key).
 */
public final class MeshSim {

  private final PrintStream out;
  private final PrintStream err;

  MeshSim(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new MeshSim(System.out, System.err).execute(args));
  }

  int execute(String[] args) {
    if (args.length == 0) {
      return usage();
    }
    if (asksForHelp(args)) {
      usageText(out);
      return 0;
    }
    try {
      return switch (args[0]) {
        case "generate" -> generate(args);
        case "validate" -> validate(args);
        case "run" -> run(args);
        default -> usage();
      };
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 2;
    } catch (UsageException e) {
      err.println("mesh-sim: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("mesh-sim: " + e.getMessage());
      return 1;
    }
  }

  /** {@code -h} or {@code --help} anywhere, e.g. {@code mesh-sim run --help}. */
  private static boolean asksForHelp(String[] args) {
    if (args[0].equals("help")) {
      return true;
    }
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help")) {
        return true;
      }
    }
    return false;
  }

  private int usage() {
    usageText(err);
    return 2;
  }

  private static void usageText(PrintStream s) {
    s.println("usage: mesh-sim generate --example " + String.join("|", Examples.NAMES)
        + " [-o FILE]");
    s.println("       mesh-sim validate FILE");
    s.println("       mesh-sim run FILE [--strategy S]... [--load FRACTION] [--duration D]"
        + " [--out DIR] [--quiet]");
  }

  private int generate(String[] args) throws IOException {
    String example = null;
    Path file = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--example" -> example = value(args, ++i, "--example");
        case "-o", "--output" -> file = Path.of(value(args, ++i, args[i - 1]));
        default -> throw new UsageException("unknown option " + args[i]);
      }
    }
    if (example == null) {
      throw new UsageException("generate needs --example " + String.join("|", Examples.NAMES));
    }
    String yaml;
    try {
      yaml = Examples.yaml(example);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--example: " + e.getMessage());
    }
    if (file == null) {
      out.print(yaml);
    } else {
      Files.writeString(file, yaml);
      err.println("wrote " + file);
    }
    return 0;
  }

  private int validate(String[] args) throws ConfigException {
    if (args.length != 2) {
      throw new UsageException("validate takes one FILE");
    }
    SimConfig config = SimConfigLoader.load(Path.of(args[1]));
    Scenario scenario = Scenario.of(config);
    out.println(args[1] + ": valid");
    describe(scenario);
    return 0;
  }

  private void describe(Scenario s) {
    out.printf(Locale.ROOT, "  fleet: %d cells, %d workers, %.1f GPUs, $%.2f/h%n",
        s.fleet().cells, s.fleet().size, s.fleet().gpuCount(), s.fleet().costPerSecond() * 3600);
    out.printf(Locale.ROOT, "  capacity: %.1f requests/s; offered %.1f requests/s (%.1f%% of"
        + " capacity)%n", s.capacity(), s.arrivals().meanRate(), 100 * s.load());
    if (s.arrivals() instanceof Arrivals.Replay replay) {
      out.printf(Locale.ROOT, "  trace: %s, %d requests over %.0f s, replayed at x%.2f%n",
          replay.trace().name(), replay.trace().size(), replay.trace().spanNanos() / 1e9,
          replay.timeScale());
    }
    out.printf(Locale.ROOT, "  duration: %s, strategies: %s%n",
        dev.meshd.core.config.ConfigLoader.formatDuration(s.config().duration()),
        String.join(", ", s.config().strategies()));
  }

  private int run(String[] args) throws ConfigException, IOException {
    Path file = null;
    List<String> strategies = new ArrayList<>();
    Path outDir = null;
    boolean quiet = false;
    OptionalDouble load = OptionalDouble.empty();
    Duration duration = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--strategy" -> strategies.add(value(args, ++i, "--strategy"));
        case "--out" -> outDir = Path.of(value(args, ++i, "--out"));
        case "--quiet" -> quiet = true;
        case "--load" -> load = OptionalDouble.of(number(value(args, ++i, "--load")));
        case "--duration" -> duration = duration(value(args, ++i, "--duration"));
        default -> {
          if (args[i].startsWith("-") || file != null) {
            throw new UsageException("unknown argument " + args[i]);
          }
          file = Path.of(args[i]);
        }
      }
    }
    if (file == null) {
      throw new UsageException("run needs a config FILE");
    }
    SimConfig config = SimConfigLoader.load(file);
    for (String s : strategies) {
      if (!dev.meshd.core.policy.StrategyNames.isKnown(s)) {
        throw new UsageException("--strategy: \"" + s + "\" (expected: one of "
            + String.join(", ", dev.meshd.core.policy.StrategyNames.ALL) + ")");
      }
    }
    config = override(config, strategies, load, duration);
    Scenario scenario = Scenario.of(config);
    String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    if (outDir == null) {
      outDir = Path.of("sim-results", name);
    }
    describe(scenario);
    Simulation.Progress progress = quiet ? Simulation.Progress.NONE : new ProgressBar(err);
    List<RunResult> results = new ArrayList<>();
    int broken = 0;
    for (String strategy : config.strategies()) {
      RunResult r = Simulation.run(scenario, strategy, progress);
      results.add(r);
      for (String e : r.conservationErrors()) {
        err.println(strategy + ": invariant broken: " + e);
        broken++;
      }
    }
    out.println();
    out.print(Reports.table(results));
    Reports.writeAll(outDir, name, scenario.load(), results);
    out.println();
    out.println("wrote " + outDir.resolve("results.json") + ", results.csv, latency.svg");
    return broken == 0 ? 0 : 1;
  }

  private static SimConfig override(SimConfig c, List<String> strategies, OptionalDouble load,
      Duration duration) {
    SimConfig.Workload w = c.workload();
    if (load.isPresent()) {
      w = new SimConfig.Workload(w.arrivals(), load, w.types(), w.traceType(), w.tenants(),
          w.tenantZipf(), w.sla());
    }
    return new SimConfig(c.source(), c.seed(), duration == null ? c.duration() : duration,
        strategies.isEmpty() ? c.strategies() : strategies, w, c.fleet(), c.models(), c.router(),
        c.signals(), c.network());
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static double number(String s) {
    try {
      double v = Double.parseDouble(s);
      if (v > 0 && v <= 10) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--load: \"" + s + "\" (expected: a fraction of capacity such as"
        + " 0.8)");
  }

  private static Duration duration(String s) {
    try {
      Duration d = dev.meshd.core.config.ConfigLoader.parseDuration(s);
      if (!d.isZero()) {
        return d;
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException("--duration: " + e.getMessage());
    }
    throw new UsageException("--duration: \"" + s + "\" (expected: > 0)");
  }

  /** Bad usage: exit 2 with the message alone. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message, null, false, false);
    }
  }
}
