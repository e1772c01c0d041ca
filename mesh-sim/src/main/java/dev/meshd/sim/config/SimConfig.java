package dev.meshd.sim.config;

import dev.meshd.router.StalePolicy;
import dev.meshd.sim.fleet.GpuProfile;
import dev.meshd.sim.workload.Arrivals;
import dev.meshd.sim.workload.Distribution;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A simulation as configured (keys and defaults in docs/simulation.md), validated by {@link
 * SimConfigLoader}. Immutable; the nested records are the config's sections.
 *
 * @param source the file it was read from
 * @param seed the root of the run's one random tree
 * @param duration arrivals stop after this; the run goes on until every request has finished
 * @param strategies the strategies to run, each on the identical workload
 */
public record SimConfig(Path source, long seed, Duration duration, List<String> strategies,
    Workload workload, Fleet fleet, List<Model> models, Router router, Signals signals,
    Network network) {

  public SimConfig {
    strategies = List.copyOf(strategies);
    models = List.copyOf(models);
  }

  /**
   * @param arrivals the arrival process
   * @param targetLoad when present, the process is scaled to this fraction of the fleet's
   *     capacity (docs/simulation.md says how capacity is computed)
   * @param traceType the request type trace arrivals are (trace replay only)
   */
  public record Workload(Arrivals.Spec arrivals, OptionalDouble targetLoad, List<RequestType> types,
      String traceType, int tenants, double tenantZipf, Sla sla) {
    public Workload {
      types = List.copyOf(types);
    }
  }

  /** One kind of request: which model serves it, its share of arrivals and its token sizes. */
  public record RequestType(String name, String model, double weight, Distribution promptTokens,
      Distribution outputTokens, int maxPromptTokens, int maxOutputTokens) {}

  /** The latency a request should finish within: {@code base x max(1, tokens / perTokens)}. */
  public record Sla(Duration base, int perTokens) {
    public long boundNanos(int tokens) {
      return (long) (base.toNanos() * Math.max(1.0, tokens / (double) perTokens));
    }
  }

  /**
   * @param cells how many cells (each with every node group)
   * @param cellsPerRegion cells are grouped into regions of this many, in order
   * @param groups the nodes of each cell
   * @param profiles GPU profiles by name: the built-ins and the config's own
   * @param workerQueueLimit a worker refuses a request when this many wait; 0: no limit
   */
  public record Fleet(int cells, int cellsPerRegion, List<NodeGroup> groups,
      Map<String, GpuProfile> profiles, int workerQueueLimit) {
    public Fleet {
      groups = List.copyOf(groups);
      profiles = Map.copyOf(profiles);
    }
  }

  /** {@code count} nodes per cell of {@code gpus} GPUs each, every GPU split in {@code mig}. */
  public record NodeGroup(int count, String profile, int gpus, int migSlices) {}

  /**
   * A served model and where it is placed. A config's model with {@code copies: N} is N of these,
   * named {@code name-0} to {@code name-(N-1)}, each placed as the config says, all of one
   * family: the name request types give.
   *
   * @param kvBytesPerToken KV cache per token of context (0 when per request)
   * @param kvBytesPerRequest KV cache per request whatever its length (0 when per token)
   * @param family the name request types give: the model's own, or for a copy the config's
   */
  public record Model(String name, long weightsBytes, double kvBytesPerToken,
      long kvBytesPerRequest, List<PlacementGroup> placements, String family) {
    public Model {
      placements = List.copyOf(placements);
    }

    public Model(String name, long weightsBytes, double kvBytesPerToken, long kvBytesPerRequest,
        List<PlacementGroup> placements) {
      this(name, weightsBytes, kvBytesPerToken, kvBytesPerRequest, placements, name);
    }
  }

  /** The models serving request type {@code t}'s model: one, or its copies (adjacent). */
  public List<Model> modelsOf(RequestType t) {
    return models.stream().filter(m -> m.family().equals(t.model())).toList();
  }

  /**
   * Replicas of a model: {@code replicas} workers (0: every free one) of the named profiles
   * (empty: any), each a pipeline of {@code pipeline.stages} GPUs when a pipeline is given.
   */
  public record PlacementGroup(int replicas, List<String> profiles, Optional<Pipeline> pipeline) {
    public PlacementGroup {
      profiles = List.copyOf(profiles);
    }
  }

  /** Pipeline stages joined by links of one fabric class and bandwidth. */
  public record Pipeline(int stages, String fabricClass, double bandwidthBytesPerS,
      Duration linkLatency, long activationBytesPerToken) {}

  /** The routers' policy: the same knobs a {@code Policy} and the router settings have. */
  public record Router(Duration staleAfter, StalePolicy stalePolicy, Map<String, Double> weights,
      int maxQueuePerTarget, int maxInFlightPerTenant, boolean hedging, Duration hedgeDelay,
      Duration rebuildInterval) {
    public Router {
      weights = Map.copyOf(weights);
    }
  }

  /** How workers' load reaches the routers. */
  public record Signals(SignalPath runtime, SignalPath gpu) {}

  /**
   * One signal type: published every {@code period}, reaching a router of the same cell after a
   * delay uniform in {@code [intraMin, intraMax]}, of another cell in {@code [interMin, interMax]}.
   */
  public record SignalPath(Duration period, Duration intraMin, Duration intraMax,
      Duration interMin, Duration interMax) {}

  /**
   * The network between cells: Vivaldi-style coordinates drawn from the seed in a square of side
   * {@code span} (as RTT) plus a height per cell up to {@code maxHeight}; each message's delay is
   * jittered by up to {@code noise} of itself; payloads cross between cells at {@code bandwidth}.
   */
  public record Network(Duration intraCellRtt, Duration span, Duration maxHeight, double noise,
      double bandwidthBytesPerS) {}
}
