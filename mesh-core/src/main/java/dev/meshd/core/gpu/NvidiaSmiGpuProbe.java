package dev.meshd.core.gpu;

import dev.meshd.core.blocking.BoundedCommand;
import dev.meshd.core.gpu.internal.NvidiaSmiCsvParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds GPUs by running {@code nvidia-smi --query-gpu=... --format=csv,noheader,nounits} and
 * parsing its output with {@link NvidiaSmiCsvParser}.
 *
 * <p>The fallback where NVML cannot be loaded into the JVM (for example a container that has the
 * tool but not a matching library path). Each {@link #discover()} runs the tool once, bounded by
 * the timeout: nvidia-smi blocks for minutes on a hung driver, and then it is killed and the
 * probe reports FAILED. Immutable and thread-safe; concurrent calls run separate processes.
 */
public final class NvidiaSmiGpuProbe implements GpuProbe {

  private final Path executable;
  private final Duration timeout;
  private final Map<String, String> environment;

  /**
   * @param executable a bare name ({@code nvidia-smi}), looked up on the {@code PATH} of {@code
   *     environment}, or a path to the binary
   * @param timeout how long one run may take before it is killed
   * @param environment the child's environment, and the {@code PATH} searched; injected so that
   *     tests put a fake {@code nvidia-smi} first
   */
  public NvidiaSmiGpuProbe(Path executable, Duration timeout, Map<String, String> environment) {
    this.executable = Objects.requireNonNull(executable, "executable");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.environment = Map.copyOf(environment);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
  }

  /** With the agent's own environment. */
  public NvidiaSmiGpuProbe(Path executable, Duration timeout) {
    this(executable, timeout, System.getenv());
  }

  @Override
  public String name() {
    return "nvidia-smi";
  }

  @Override
  public GpuDiscovery discover() {
    Optional<Path> binary = resolve();
    if (binary.isEmpty()) {
      return GpuDiscovery.absent(executable.getParent() == null
          ? executable + " not found on PATH"
          : executable + " not found or not executable");
    }
    List<String> command = List.of(binary.get().toString(),
        "--query-gpu=" + NvidiaSmiCsvParser.QUERY_FIELDS, "--format=csv,noheader,nounits");
    return switch (BoundedCommand.run(command, environment, timeout)) {
      case BoundedCommand.Outcome.Exited(int status, String out, String err) when status == 0 ->
          interpret(NvidiaSmiCsvParser.parse(out));
      case BoundedCommand.Outcome.Exited(int status, String out, String err) ->
          // nvidia-smi prints most failures (no driver, no device) on stdout, not stderr.
          GpuDiscovery.failed("nvidia-smi exited with status " + status + ": "
              + firstLine(err).or(() -> firstLine(out)).orElse("no message"));
      case BoundedCommand.Outcome.TimedOut(Duration t) ->
          GpuDiscovery.failed("nvidia-smi: no answer within " + BoundedCommand.format(t)
              + " (killed; is the driver hung?)");
      case BoundedCommand.Outcome.NotStarted(String reason) ->
          GpuDiscovery.failed("cannot run " + binary.get() + ": " + reason);
    };
  }

  private Optional<Path> resolve() {
    if (executable.getParent() != null) {
      return Files.isRegularFile(executable) && Files.isExecutable(executable)
          ? Optional.of(executable)
          : Optional.empty();
    }
    return BoundedCommand.findOnPath(executable.toString(), environment.get("PATH"));
  }

  private static GpuDiscovery interpret(NvidiaSmiCsvParser.Result result) {
    if (result.gpus().isEmpty() && !result.errors().isEmpty()) {
      return GpuDiscovery.failed("nvidia-smi: unusable output: " + result.errors().getFirst());
    }
    String detail = "nvidia-smi: " + result.gpus().size() + " GPU(s)";
    if (!result.errors().isEmpty()) {
      // Keep the GPUs that parsed: a node with one bad row can still serve on the others.
      detail += "; skipped " + String.join("; ", result.errors());
    }
    return GpuDiscovery.found(result.gpus(), detail);
  }

  private static Optional<String> firstLine(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
  }
}
