package dev.meshd.fabric.discovery;

import dev.meshd.core.fabric.FabricInventory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs several {@link FabricDiscovery} sources side by side, each bounded in time, and merges
 * what they found in the order they were added.
 *
 * <p>Each source runs on its own daemon platform thread (a native call such as NVML's would pin
 * a virtual thread's carrier for as long as it blocks). A source that has not answered by the
 * deadline, or that throws, becomes a reason naming it; its thread is left to finish, and while
 * it is still running the next {@link #discover()} waits on that same run rather than starting
 * another, so a hung driver costs one thread, not one per refresh. When a source fails after
 * having answered before, its previous answer is kept (with the reason), so that one slow run
 * does not make a node's NVLink vanish from the fleet.
 *
 * <p>Thread-safe: {@link #discover()} calls are serialised; the per-source state is guarded by
 * this object's monitor.
 */
public final class CompositeFabricDiscovery implements FabricDiscovery {

  /** Default bound on one discovery: generous for tools that take seconds on a busy host. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private record Source(String name, FabricDiscovery discovery) {}

  private final List<Source> sources;
  private final Duration timeout;

  /** Runs started by an earlier call that had not finished by its deadline. */
  private final Map<String, CompletableFuture<FabricInventory>> running = new HashMap<>();

  /** Each source's last answer, kept for when a later run fails. */
  private final Map<String, FabricInventory> lastAnswer = new HashMap<>();

  private CompositeFabricDiscovery(List<Source> sources, Duration timeout) {
    this.sources = List.copyOf(sources);
    this.timeout = timeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The sources' names, in the order their results are merged. */
  public List<String> sourceNames() {
    return sources.stream().map(Source::name).toList();
  }

  /**
   * Runs every source and waits for all of them, at most the timeout in total; never throws for
   * what a source does.
   */
  @Override
  public synchronized FabricInventory discover() {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<Source, CompletableFuture<FabricInventory>> calls = new LinkedHashMap<>();
    for (Source source : sources) {
      CompletableFuture<FabricInventory> earlier = running.get(source.name());
      calls.put(source, earlier != null ? earlier : start(source));
    }
    FabricInventory merged = FabricInventory.empty();
    for (Map.Entry<Source, CompletableFuture<FabricInventory>> call : calls.entrySet()) {
      merged = merged.merge(await(call.getKey().name(), call.getValue(), deadline));
    }
    return merged;
  }

  private FabricInventory await(
      String name, CompletableFuture<FabricInventory> call, long deadline) {
    try {
      FabricInventory answer =
          call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      running.remove(name);
      if (answer == null) {
        return keepPrevious(name, "answered nothing");
      }
      lastAnswer.put(name, answer);
      return answer;
    } catch (TimeoutException e) {
      running.put(name, call);
      return keepPrevious(name, "no answer within " + describe(timeout));
    } catch (ExecutionException e) {
      running.remove(name);
      return keepPrevious(name, "failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.put(name, call);
      return keepPrevious(name, "interrupted while waiting");
    }
  }

  private FabricInventory keepPrevious(String name, String why) {
    FabricInventory previous = lastAnswer.get(name);
    return previous == null
        ? FabricInventory.absent(name + ": " + why)
        : previous.merge(FabricInventory.absent(name + ": " + why + "; showing its last answer"));
  }

  private static CompletableFuture<FabricInventory> start(Source source) {
    CompletableFuture<FabricInventory> call = new CompletableFuture<>();
    Thread.ofPlatform().daemon().name("meshd-fabric-" + source.name()).start(() -> {
      try {
        call.complete(source.discovery().discover());
      } catch (Throwable t) {
        // Anything, an Error from a native library included, must end the call: an unfinished
        // one would count as "still running" forever.
        call.completeExceptionally(t);
      }
    });
    return call;
  }

  private static String describe(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }

  /** Collects the sources; {@link #build()} needs none (an empty composite finds nothing). */
  public static final class Builder {
    private final List<Source> sources = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private Duration timeout = DEFAULT_TIMEOUT;

    private Builder() {}

    /**
     * Adds a source; its results come after those of the sources added before it.
     *
     * @param name short, unique, used in reasons and thread names, e.g. {@code sysfs-rdma}
     */
    public Builder source(String name, FabricDiscovery discovery) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(discovery, "discovery");
      if (!name.matches("[a-z0-9][a-z0-9-]{0,39}")) {
        throw new IllegalArgumentException(
            "name: '" + name + "' (expected: lower-case letters, digits and '-', up to 40)");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException("name: '" + name + "' (expected: unique; added twice)");
      }
      sources.add(new Source(name, discovery));
      return this;
    }

    /** The bound on one {@link #discover()} over all sources; default {@link #DEFAULT_TIMEOUT}. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
      }
      this.timeout = timeout;
      return this;
    }

    public CompositeFabricDiscovery build() {
      return new CompositeFabricDiscovery(sources, timeout);
    }
  }
}
