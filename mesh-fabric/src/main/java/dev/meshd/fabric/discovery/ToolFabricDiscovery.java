package dev.meshd.fabric.discovery;

import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.gpu.internal.BoundedCommand;
import dev.meshd.fabric.discovery.internal.NvidiaSmiNvlinkParser;
import dev.meshd.fabric.discovery.internal.NvidiaSmiTopoParser;
import dev.meshd.fabric.discovery.internal.RocmSmiTopoParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Fabric facts from a command-line tool ({@code nvidia-smi topo -m}, {@code rocm-smi
 * --showtopo}): runs each of its invocations when the tool is on the {@code PATH}, each bounded
 * by a timeout after which the tool is killed, and parses what it printed.
 *
 * <p>A tool that is not installed is one reason ({@code rocm-smi not found on PATH}), not an
 * error. A non-zero exit, a timeout or a parser's complaint is a reason naming the invocation.
 * After a timeout the remaining invocations are skipped: a tool that hangs on a wedged driver
 * hangs on the next question too. Processes are run by {@link BoundedCommand}, the same runner
 * the {@code nvidia-smi} GPU probe uses. Immutable and thread-safe; each {@link #discover()}
 * runs the tool afresh.
 */
public final class ToolFabricDiscovery implements FabricDiscovery {

  /** Longest piece of a tool's error message kept in a reason. */
  private static final int MAX_MESSAGE = 120;

  /**
   * One run of the tool.
   *
   * @param arguments what follows the tool's name, e.g. {@code [topo, -m]}
   * @param parser turns its standard output into an inventory; must not throw
   */
  public record Invocation(List<String> arguments, Function<String, FabricInventory> parser) {
    public Invocation {
      arguments = List.copyOf(arguments);
      Objects.requireNonNull(parser, "parser");
    }

    String label(String tool) {
      return arguments.isEmpty() ? tool : tool + " " + String.join(" ", arguments);
    }
  }

  private final String tool;
  private final List<Invocation> invocations;
  private final Map<String, String> environment;
  private final Duration timeout;

  /**
   * @param tool the executable's name, looked up on the {@code PATH} of {@code environment}
   * @param invocations what to run, in order
   * @param environment the child's environment and the {@code PATH} searched; tests put a fake
   *     tool first
   * @param timeout how long one invocation may take before it is killed
   */
  public ToolFabricDiscovery(String tool, List<Invocation> invocations,
      Map<String, String> environment, Duration timeout) {
    this.tool = Objects.requireNonNull(tool, "tool");
    this.invocations = List.copyOf(invocations);
    this.environment = Map.copyOf(environment);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (tool.isBlank() || tool.contains("/")) {
      throw new IllegalArgumentException("tool: '" + tool + "' (expected: a bare command name)");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
  }

  /** NVIDIA GPU peer links ({@code nvidia-smi topo -m}) and NVLink lanes ({@code nvlink -s}). */
  public static ToolFabricDiscovery nvidiaSmi(Map<String, String> environment, Duration timeout) {
    return new ToolFabricDiscovery("nvidia-smi", List.of(
        new Invocation(List.of("topo", "-m"), NvidiaSmiTopoParser::parse),
        new Invocation(List.of("nvlink", "-s"), NvidiaSmiNvlinkParser::parse)),
        environment, timeout);
  }

  /** AMD GPU peer links, XGMI or PCIe ({@code rocm-smi --showtopo}). */
  public static ToolFabricDiscovery rocmSmi(Map<String, String> environment, Duration timeout) {
    return new ToolFabricDiscovery("rocm-smi", List.of(
        new Invocation(List.of("--showtopo"), RocmSmiTopoParser::parse)),
        environment, timeout);
  }

  @Override
  public FabricInventory discover() {
    Optional<Path> binary = BoundedCommand.findOnPath(tool, environment.get("PATH"));
    if (binary.isEmpty()) {
      return FabricInventory.absent(tool + " not found on PATH");
    }
    FabricInventory found = FabricInventory.empty();
    String hung = null;
    for (Invocation invocation : invocations) {
      String label = invocation.label(tool);
      if (hung != null) {
        found = found.merge(FabricInventory.absent(
            label + ": skipped (" + hung + " did not answer)"));
        continue;
      }
      List<String> command = new ArrayList<>();
      command.add(binary.get().toString());
      command.addAll(invocation.arguments());
      FabricInventory result = switch (BoundedCommand.run(command, environment, timeout)) {
        case BoundedCommand.Outcome.Exited(int status, String out, String err) when status == 0 ->
            parse(invocation, label, out);
        case BoundedCommand.Outcome.Exited(int status, String out, String err) ->
            // nvidia-smi prints most failures (no driver, no device) on stdout, not stderr.
            FabricInventory.absent(label + ": exited with status " + status + ": "
                + firstLine(err).or(() -> firstLine(out)).orElse("no message"));
        case BoundedCommand.Outcome.TimedOut(Duration t) -> {
          hung = label;
          yield FabricInventory.absent(label + ": no answer within "
              + BoundedCommand.format(t) + " (killed; is the driver hung?)");
        }
        case BoundedCommand.Outcome.NotStarted(String reason) ->
            FabricInventory.absent("cannot run " + binary.get() + ": " + shorten(reason));
      };
      found = found.merge(result);
    }
    return found;
  }

  private static FabricInventory parse(Invocation invocation, String label, String output) {
    try {
      return invocation.parser().apply(output);
    } catch (RuntimeException e) {
      // Parsers promise not to throw; if one does, the tool's facts are lost, not the agent's.
      return FabricInventory.absent(label + ": unreadable output: " + shorten(e.toString()));
    }
  }

  private static Optional<String> firstLine(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
        .map(ToolFabricDiscovery::shorten);
  }

  private static String shorten(String text) {
    String printable = text.replaceAll("[^\\x20-\\x7E]", "?");
    return printable.length() <= MAX_MESSAGE
        ? printable
        : printable.substring(0, MAX_MESSAGE - 3) + "...";
  }
}
