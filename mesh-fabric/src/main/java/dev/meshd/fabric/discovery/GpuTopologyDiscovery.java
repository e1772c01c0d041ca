package dev.meshd.fabric.discovery;

import dev.meshd.core.blocking.BoundedCommand;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.GpuLinkKind;
import dev.meshd.core.gpu.GpuDiscovery;
import dev.meshd.core.gpu.GpuTopology;
import dev.meshd.core.gpu.NvmlTopologyProbe;
import dev.meshd.fabric.discovery.internal.NvidiaSmiNvlinkParser;
import dev.meshd.fabric.discovery.internal.NvidiaSmiTopoParser;
import dev.meshd.fabric.discovery.internal.RocmSmiTopoParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finds how this host's GPUs are connected, from the best source there is:
 *
 * <ol>
 *   <li>NVML in-process ({@link NvmlTopologyProbe}): NVLink pairs with link counts, lanes with
 *       speeds, PCIe paths, peer access.
 *   <li>When NVML did not answer (no {@code libnvidia-ml.so.1}, a driver too old for the topology
 *       functions, an error): {@code nvidia-smi topo -m} for the pairs and {@code nvidia-smi
 *       nvlink -s} for the lanes, parsed.
 *   <li>Always: {@code rocm-smi --showtopo} for AMD GPUs and their XGMI links.
 * </ol>
 *
 * <p>The result is one {@link FabricInventory}: whatever a source could not give is a reason, not
 * an error ("nvidia-smi not found on PATH", "rocm-smi not found on PATH: no ROCm"), so an
 * operator can tell "nothing there" from "could not look". Each tool runs as a child process
 * bounded by the timeout and killed after it ({@link BoundedCommand}); a tool not found is a
 * reason. GPU indexes are each vendor's own (NVML's and nvidia-smi's are PCI bus order).
 *
 * <p>Immutable and thread-safe if the NVML source is ({@link NvmlTopologyProbe} is); each {@link
 * #discover()} looks afresh.
 */
public final class GpuTopologyDiscovery {

  /**
   * What the inventory says when rocm-smi found XGMI pairs: their link counts are unknown, and
   * discovery itself moves no bytes over them; the {@code xgmi} stage transport proves a pair
   * with its HIP payload probe ({@code dev.meshd.fabric.xgmi.XgmiProbe}) when it is negotiated.
   */
  public static final String XGMI_PAIRS_FOUND = "XGMI pairs found (link counts unknown: rocm-smi "
      + "does not list them); the xgmi transport proves a pair through HIP when a stage link "
      + "over it is negotiated";

  private final Supplier<GpuTopology> nvml;
  private final Path nvidiaSmi;
  private final Path rocmSmi;
  private final Map<String, String> environment;
  private final Duration timeout;

  private GpuTopologyDiscovery(Builder builder) {
    this.timeout = builder.timeout;
    this.nvml = builder.nvml != null
        ? builder.nvml
        : new NvmlTopologyProbe(builder.nvmlLibrary, builder.timeout)::discover;
    this.nvidiaSmi = builder.nvidiaSmi;
    this.rocmSmi = builder.rocmSmi;
    this.environment = Map.copyOf(builder.environment);
  }

  /** Defaults: the system's NVML, {@code nvidia-smi} and {@code rocm-smi} on the agent's PATH. */
  public static GpuTopologyDiscovery system() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The GPU peer links and NVLink lanes found, with reasons for what was absent or skipped. */
  public FabricInventory discover() {
    GpuTopology fromNvml = nvml.get();
    FabricInventory nvidia = fromNvml.status() == GpuDiscovery.Status.FOUND
        ? fromNvml.inventory()
        : fromNvml.inventory().merge(nvidiaSmi());
    FabricInventory amd = run(rocmSmi, List.of("--showtopo"), RocmSmiTopoParser::parse,
        ": no ROCm");
    if (amd.gpuPeerLinks().stream().anyMatch(link -> link.kind() == GpuLinkKind.XGMI)) {
      amd = amd.merge(FabricInventory.absent(
          "rocm-smi: " + XGMI_PAIRS_FOUND));
    }
    return nvidia.merge(amd);
  }

  private FabricInventory nvidiaSmi() {
    FabricInventory pairs = run(nvidiaSmi, List.of("topo", "-m"), NvidiaSmiTopoParser::parse, "");
    if (resolve(nvidiaSmi).isEmpty()) {
      return pairs; // the reason is said once; nvlink -s would only repeat it
    }
    return pairs.merge(run(nvidiaSmi, List.of("nvlink", "-s"), NvidiaSmiNvlinkParser::parse, ""));
  }

  /**
   * Runs {@code tool args} and parses its output; anything short of a zero exit is a reason
   * naming the tool and its arguments.
   */
  private FabricInventory run(Path tool, List<String> args,
      Function<String, FabricInventory> parser, String whenMissing) {
    String name = tool.getFileName() + " " + String.join(" ", args);
    Optional<Path> binary = resolve(tool);
    if (binary.isEmpty()) {
      return FabricInventory.absent(tool.getParent() == null
          ? tool + " not found on PATH" + whenMissing
          : tool + " not found or not executable");
    }
    List<String> command = new ArrayList<>();
    command.add(binary.get().toString());
    command.addAll(args);
    return switch (BoundedCommand.run(command, environment, timeout)) {
      case BoundedCommand.Outcome.Exited(int status, String out, String err) when status == 0 ->
          parser.apply(out);
      case BoundedCommand.Outcome.Exited(int status, String out, String err) ->
          // nvidia-smi prints most failures (no driver, no device) on stdout, not stderr.
          FabricInventory.absent(name + " exited with status " + status + ": "
              + firstLine(err).or(() -> firstLine(out)).orElse("no message"));
      case BoundedCommand.Outcome.TimedOut(Duration t) -> FabricInventory.absent(name
          + ": no answer within " + BoundedCommand.format(t) + " (killed; is the driver hung?)");
      case BoundedCommand.Outcome.NotStarted(String reason) ->
          FabricInventory.absent("cannot run " + binary.get() + ": " + reason);
    };
  }

  private Optional<Path> resolve(Path tool) {
    if (tool.getParent() != null) {
      return Files.isRegularFile(tool) && Files.isExecutable(tool)
          ? Optional.of(tool)
          : Optional.empty();
    }
    return BoundedCommand.findOnPath(tool.toString(), environment.get("PATH"));
  }

  private static Optional<String> firstLine(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
  }

  /** Builds a {@link GpuTopologyDiscovery}; every setting has a default. Not thread-safe. */
  public static final class Builder {
    /** The driver's own soname, what NVML's documentation says to load. */
    private String nvmlLibrary = "libnvidia-ml.so.1";
    private Supplier<GpuTopology> nvml;
    /** Bare names: looked up on the environment's PATH, as an operator's shell would. */
    private Path nvidiaSmi = Path.of("nvidia-smi");
    private Path rocmSmi = Path.of("rocm-smi");
    private Map<String, String> environment = System.getenv();
    /**
     * 10 s: the tools answer in well under a second on a healthy host, and a hung driver
     * blocks them for minutes; discovery runs off the request paths, so waiting this long costs
     * nothing but a late record.
     */
    private Duration timeout = Duration.ofSeconds(10);

    private Builder() {}

    /** The NVML library to load: a name the loader searches for, or a path. */
    public Builder nvmlLibrary(String nameOrPath) {
      this.nvmlLibrary = Objects.requireNonNull(nameOrPath, "nameOrPath");
      return this;
    }

    /** Replaces the NVML source, e.g. with a test double; overrides {@link #nvmlLibrary}. */
    public Builder nvml(Supplier<GpuTopology> source) {
      this.nvml = Objects.requireNonNull(source, "source");
      return this;
    }

    /** A bare name looked up on the PATH of {@link #environment}, or a path to the binary. */
    public Builder nvidiaSmi(Path executable) {
      this.nvidiaSmi = Objects.requireNonNull(executable, "executable");
      return this;
    }

    /** A bare name looked up on the PATH of {@link #environment}, or a path to the binary. */
    public Builder rocmSmi(Path executable) {
      this.rocmSmi = Objects.requireNonNull(executable, "executable");
      return this;
    }

    /** The tools' environment, and the PATH searched; tests put fakes first on it. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Longest NVML or any one tool may take. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
      }
      this.timeout = timeout;
      return this;
    }

    public GpuTopologyDiscovery build() {
      return new GpuTopologyDiscovery(this);
    }
  }
}
