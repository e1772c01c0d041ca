package dev.meshd.fabric.libfabric;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.LibfabricProvider;
import dev.meshd.core.fabric.LinkLayer;
import dev.meshd.core.blocking.BoundedCommand;
import dev.meshd.fabric.libfabric.internal.FabricLibrary;
import dev.meshd.fabric.libfabric.internal.FfmProviderSource;
import dev.meshd.fabric.libfabric.internal.FiInfoEntry;
import dev.meshd.fabric.libfabric.internal.FiInfoToolSource;
import dev.meshd.fabric.libfabric.internal.LibraryUnavailableException;
import dev.meshd.fabric.libfabric.internal.ProviderSource;
import dev.meshd.fabric.libfabric.internal.ProviderSource.Answer;
import dev.meshd.fabric.probe.FallbackReason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds the libfabric providers this node can open: {@code fi_getinfo} per provider of
 * {@link #PROVIDERS}, through FFM; when the library cannot be loaded but the {@code fi_info}
 * tool runs, its output instead. Each result becomes a {@link LibfabricProvider} (one per
 * provider, fabric, domain and endpoint type) with its fabric class, and each provider not
 * found a reason: {@code efa: no provider (fi_getinfo: -61 No data available)}.
 *
 * <p>Never throws for what it finds: no library and no tool is an empty inventory whose reason
 * starts {@code libfabric: library_missing:}. Calls into libfabric run on a daemon thread and
 * are waited for at most the timeout, since a provider stuck in a driver would block its
 * caller indefinitely.
 *
 * <p>The result is computed once and cached ({@link #discover()}); {@link #refresh()}
 * computes it again (after a driver or device change). Thread-safe: computations are
 * serialized, readers see the last complete result.
 */
public final class LibfabricDiscovery {

  /**
   * The providers asked for, RDMA first: InfiniBand/RoCE verbs (with ofi_rxm for reliable
   * datagrams), AWS EFA, HPE Slingshot (cxi), Intel's PSM3 and Cornelis OPX, then the
   * kernel-TCP providers that run anywhere.
   */
  public static final List<String> PROVIDERS =
      List.of("verbs;ofi_rxm", "efa", "cxi", "psm3", "opx", "tcp", "sockets");

  /** The providers of the {@code rdma} group of {@code fabric.order}, in preference order. */
  public static final List<String> RDMA_PROVIDERS = PROVIDERS.subList(0, 5);

  /** How the last result was obtained. */
  public enum Via { FI_GETINFO, FI_INFO_TOOL, NONE }

  /** A discovery's outcome: the inventory, and where it came from. */
  public record Result(FabricInventory inventory, Via via) {
    public Result {
      Objects.requireNonNull(inventory, "inventory");
      Objects.requireNonNull(via, "via");
    }
  }

  private final String library;
  private final Optional<Path> fiInfo;
  private final Map<String, String> environment;
  private final LinkLayerLookup linkLayers;
  private final Duration timeout;
  private Result cached;
  private CompletableFuture<Result> inFlight;

  /**
   * @param library {@code libfabric.so.1}, or a path
   * @param fiInfo the {@code fi_info} tool for the fallback, if there is one
   * @param environment the tool's exact environment
   * @param linkLayers tells InfiniBand from RoCE under a verbs domain
   * @param timeout longest one discovery may take (and each tool run)
   */
  public LibfabricDiscovery(String library, Optional<Path> fiInfo,
      Map<String, String> environment, LinkLayerLookup linkLayers, Duration timeout) {
    this.library = Objects.requireNonNull(library, "library");
    this.fiInfo = Objects.requireNonNull(fiInfo, "fiInfo");
    this.environment = Map.copyOf(environment);
    this.linkLayers = Objects.requireNonNull(linkLayers, "linkLayers");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
  }

  /**
   * This host: {@code libfabric.so.1}, {@code fi_info} from the agent's {@code PATH}, link
   * layers from {@code /sys}, 10 s (a first fi_getinfo initializes every provider).
   */
  public static LibfabricDiscovery system() {
    Map<String, String> environment = System.getenv();
    return new LibfabricDiscovery(FabricLibrary.DEFAULT_NAME,
        BoundedCommand.findOnPath("fi_info", environment.get("PATH")), environment,
        LinkLayerLookup.sysfs(Path.of("/sys")), Duration.ofSeconds(10));
  }

  /** The cached result, computed on first use. */
  public synchronized Result discover() {
    return cached != null ? cached : refresh();
  }

  /** The inventory of {@link #discover()}. */
  public FabricInventory inventory() {
    return discover().inventory();
  }

  /** Computes the result again and caches it. */
  public synchronized Result refresh() {
    if (inFlight != null && !inFlight.isDone()) {
      return new Result(FabricInventory.absent("libfabric: an earlier discovery has not "
          + "returned after " + BoundedCommand.format(timeout) + " or more (a hung provider?)"),
          Via.NONE);
    }
    CompletableFuture<Result> call = new CompletableFuture<>();
    inFlight = call;
    // A platform thread: one blocked in a native call would pin a virtual thread's carrier.
    Thread.ofPlatform().daemon().name("meshd-libfabric-discovery").start(() -> {
      try {
        call.complete(compute());
      } catch (RuntimeException | Error e) {
        call.completeExceptionally(e);
      }
    });
    Result result;
    try {
      result = call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      result = new Result(FabricInventory.absent("libfabric: no answer within "
          + BoundedCommand.format(timeout) + " (a hung provider?)"), Via.NONE);
    } catch (ExecutionException e) {
      result = new Result(FabricInventory.absent("libfabric: " + e.getCause()), Via.NONE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result = new Result(FabricInventory.absent("libfabric: interrupted"), Via.NONE);
    }
    cached = result;
    return result;
  }

  private Result compute() {
    List<String> reasons = new ArrayList<>();
    ProviderSource source;
    Via via;
    try {
      source = new FfmProviderSource(FabricLibrary.load(library));
      via = Via.FI_GETINFO;
    } catch (LibraryUnavailableException e) {
      String missing = "libfabric: " + FallbackReason.LIBRARY_MISSING.label() + ": "
          + e.getMessage();
      if (fiInfo.isEmpty()) {
        return new Result(FabricInventory.absent(missing + "; no fi_info on PATH either"),
            Via.NONE);
      }
      reasons.add(missing + "; read " + fiInfo.get() + "'s output instead");
      source = new FiInfoToolSource(fiInfo.get(), environment, timeout);
      via = Via.FI_INFO_TOOL;
    }
    List<Answer> answers = source.query(PROVIDERS);
    Map<String, LibfabricProvider> found = new LinkedHashMap<>();
    for (int i = 0; i < PROVIDERS.size(); i++) {
      String provider = PROVIDERS.get(i);
      switch (answers.get(i)) {
        case Answer.Found(List<FiInfoEntry> entries, List<String> problems) -> {
          for (FiInfoEntry entry : entries) {
            ProviderClasses.Classified classified =
                ProviderClasses.classify(provider, entry, linkLayers);
            LibfabricProvider value = new LibfabricProvider(entry.provider(), entry.fabric(),
                entry.domain(), entry.endpointType(), classified.fabricClass());
            String key = String.join("\u0000", value.name(), value.fabric(), value.domain(),
                value.endpointType());
            if (found.putIfAbsent(key, value) == null) {
              classified.reason().ifPresent(reasons::add);
            }
          }
          problems.forEach(p -> reasons.add(provider + ": " + p));
        }
        case Answer.Absent(String detail) ->
            reasons.add(provider + ": no provider (" + detail + ")");
        case Answer.Failed(String detail) ->
            reasons.add(provider + ": not known (" + detail + ")");
      }
    }
    return new Result(new FabricInventory(List.of(), List.of(), List.of(),
        List.copyOf(found.values()), reasons), via);
  }

  /**
   * How a provider's result maps to a fabric class; shared with the {@code rdma} stage
   * transport, which gives a link the class of the provider both ends chose. Stateless.
   */
  public static final class ProviderClasses {
    private ProviderClasses() {}

    /** The class, and why it is a guess when it is one. */
    public record Classified(FabricClass fabricClass, Optional<String> reason) {}

    /** Device-name prefixes of RDMA NICs that only run over Ethernet (RoCE or iWARP). */
    private static final List<String> ETHERNET_ONLY =
        List.of("rxe", "siw", "bnxt_re", "qedr", "hns", "irdma", "erdma", "iwcxgb", "cxgb");

    /**
     * @param asked the provider as asked of {@code fi_getinfo}, e.g. {@code verbs;ofi_rxm}
     * @param entry what it answered (the domain tells a verbs device)
     */
    public static Classified classify(String asked, FiInfoEntry entry,
        LinkLayerLookup linkLayers) {
      String core = asked.split(";")[0];
      return switch (core) {
        case "efa" -> new Classified(FabricClass.EFA, Optional.empty());
        case "cxi" -> new Classified(FabricClass.CXI, Optional.empty());
        // PSM3 and OPX drive Omni-Path/InfiniBand-class fabrics (PSM3 also RoCE NICs, but
        // through its own protocol): ranked as InfiniBand.
        case "psm3", "opx" -> new Classified(FabricClass.RDMA_IB, Optional.empty());
        case "verbs" -> verbs(entry, linkLayers);
        default -> new Classified(FabricClass.LIBFABRIC_TCP, Optional.empty());
      };
    }

    private static Classified verbs(FiInfoEntry entry, LinkLayerLookup linkLayers) {
      // verbs names RDM and datagram domains <device>-rdm, -xrc, -dgram.
      String device = entry.domain().replaceFirst("-(rdm|xrc|dgram)$", "");
      Optional<LinkLayer> layer = linkLayers.linkLayer(device);
      if (layer.isPresent() && layer.get().fabricClass().isPresent()) {
        return new Classified(layer.get().fabricClass().get(), Optional.empty());
      }
      if (ETHERNET_ONLY.stream().anyMatch(device::startsWith)) {
        return new Classified(FabricClass.RDMA_ROCE, Optional.empty());
      }
      return new Classified(FabricClass.RDMA_IB, Optional.of("verbs domain " + entry.domain()
          + ": link layer unknown (no sysfs link_layer for " + device
          + "), assumed InfiniBand"));
    }
  }
}
