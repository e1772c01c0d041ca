package dev.meshd.sim.config;

import dev.meshd.core.config.ConfigDocument;
import dev.meshd.core.config.ConfigException;
import dev.meshd.core.config.ConfigLoader;
import dev.meshd.core.config.ConfigValue;
import dev.meshd.core.config.MappingReader;
import dev.meshd.core.policy.StrategyNames;
import dev.meshd.router.StalePolicy;
import dev.meshd.router.route.CandidateTables;
import dev.meshd.router.route.RouterSettings;
import dev.meshd.sim.fleet.GpuProfile;
import dev.meshd.sim.fleet.Placements;
import dev.meshd.sim.workload.Arrivals;
import dev.meshd.sim.workload.Distribution;
import dev.meshd.sim.workload.Trace;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Reads a simulator config (YAML) into a {@link SimConfig} with the agent config's rules (mesh-core
 * {@link ConfigDocument}): unknown keys and bad values are errors naming the file, line, column
 * and dotted key, every problem is reported at once, {@code ${ENV}} is substituted. Cross-checks
 * (a type's model exists, placements fit the fleet, strategy names) point at the key at fault.
 * Stateless.
 */
public final class SimConfigLoader {

  static final List<String> TOP = List.of("seed", "duration", "strategies", "workload", "fleet",
      "models", "router", "signals", "network");
  private static final List<String> WORKLOAD = List.of("arrivals", "types", "tenants", "sla");
  private static final List<String> ARRIVALS = List.of("process", "rate", "target-load", "states",
      "trace", "time-scale", "loop", "type");
  private static final List<String> STATE = List.of("rate", "mean-dwell");
  private static final List<String> TYPE = List.of("name", "model", "weight", "prompt-tokens",
      "output-tokens", "max-prompt-tokens", "max-output-tokens");
  private static final List<String> DIST = List.of("dist", "value", "min", "max", "mean", "mu",
      "sigma");
  private static final List<String> TENANTS = List.of("count", "zipf-s");
  private static final List<String> SLA = List.of("base", "per-tokens");
  private static final List<String> FLEET = List.of("cells", "cells-per-region", "nodes",
      "profiles", "worker-queue-limit");
  private static final List<String> NODES = List.of("count", "profile", "gpus", "mig-slices");
  private static final List<String> PROFILE = List.of("name", "tokens-per-s",
      "prefill-tokens-per-s", "request-tokens-per-s", "concurrency", "vram-gb", "cost-per-hour",
      "batch-window");
  private static final List<String> MODEL = List.of("name", "copies", "weights-gb",
      "kv-bytes-per-token", "kv-gb-per-request", "placements");
  /** Copies of one model a config may ask for: enough for the large example's 128 models. */
  private static final int MAX_COPIES = 100_000;
  private static final List<String> PLACEMENT = List.of("replicas", "profiles", "pipeline");
  private static final List<String> PIPELINE = List.of("stages", "fabric", "bandwidth-gbps",
      "link-latency", "activation-bytes-per-token");
  private static final List<String> ROUTER = List.of("stale-after", "stale-policy", "weights",
      "admission", "hedging", "rebuild-interval");
  private static final List<String> ADMISSION = List.of("max-queue-per-target",
      "max-in-flight-per-tenant");
  private static final List<String> HEDGING = List.of("enabled", "delay");
  private static final List<String> SIGNALS = List.of("runtime", "gpu");
  private static final List<String> SIGNAL = List.of("period", "intra-cell-delay",
      "inter-cell-delay");
  private static final List<String> NETWORK = List.of("intra-cell-rtt", "span", "max-height",
      "noise", "bandwidth-gbps");
  private static final List<String> FABRICS = List.of("NVLINK", "XGMI", "RDMA_IB", "RDMA_ROCE",
      "EFA", "CXI", "LIBFABRIC_TCP", "QUIC");
  private static final List<String> WEIGHTS = List.of("queue_depth", "kv_headroom",
      "vram_headroom", "gpu_utilization", "freshness", "locality", "fabric");

  private SimConfigLoader() {}

  public static SimConfig load(Path file) throws ConfigException {
    return load(file, System.getenv());
  }

  /** Loads {@code file}; {@code env} serves {@code ${ENV}} substitution. */
  public static SimConfig load(Path file, Map<String, String> env) throws ConfigException {
    ConfigDocument doc = ConfigDocument.open(file, env, TOP,
        "a simulator config, e.g. from 'mesh-sim generate --example small'");
    MappingReader top = doc.root();
    Path dir = doc.source().getParent();
    long seed = top.get("seed").parsed(s -> parseLong(s)).orElse(1L);
    // 60 s: long enough for p99 at a few hundred requests per second, short enough to iterate.
    Duration duration = top.get("duration").parsed(SimConfigLoader::positiveDuration)
        .orElse(Duration.ofSeconds(60));
    List<String> strategies = strategies(top.get("strategies"));
    Map<String, GpuProfile> profiles = new LinkedHashMap<>(GpuProfile.builtIns());
    SimConfig.Fleet fleet = fleet(top.get("fleet").mapping(FLEET), profiles);
    List<SimConfig.Model> models = models(top.get("models"), fleet);
    SimConfig.Workload workload = workload(top.get("workload").mapping(WORKLOAD), dir, models);
    SimConfig.Router router = router(top.get("router").mapping(ROUTER));
    SimConfig.Signals signals = signals(top.get("signals").mapping(SIGNALS));
    SimConfig.Network network = network(top.get("network").mapping(NETWORK));
    doc.throwIfAny();
    return new SimConfig(doc.source(), seed, duration, strategies, workload, fleet, models, router,
        signals, network);
  }

  private static List<String> strategies(ConfigValue value) {
    if (!value.isPresent()) {
      return List.copyOf(StrategyNames.ALL);
    }
    List<String> out = new ArrayList<>();
    for (ConfigValue item : value.list()) {
      item.oneOf(List.copyOf(StrategyNames.ALL)).ifPresent(out::add);
    }
    if (value.isList() && out.isEmpty() && value.list().isEmpty()) {
      value.error("empty (expected: a list of strategies, e.g. [round_robin, hybrid])");
    }
    return out;
  }

  // ---- workload

  private static SimConfig.Workload workload(MappingReader w, Path dir,
      List<SimConfig.Model> models) {
    List<SimConfig.RequestType> types = new ArrayList<>();
    ConfigValue typesValue = w.get("types");
    for (ConfigValue item : typesValue.list()) {
      item.mappingIfValid(TYPE).flatMap(m -> type(m, models)).ifPresent(types::add);
    }
    if (!typesValue.isPresent() || (typesValue.isList() && typesValue.list().isEmpty())) {
      typesValue.error((typesValue.isPresent() ? "empty" : "missing") + " (expected: a list of"
          + " request types such as [{name: llm, model: llama, prompt-tokens: {dist: lognormal,"
          + " mu: 3.8, sigma: 0.6}, output-tokens: {dist: lognormal, mu: 4.6, sigma: 0.7}}])");
    }
    MappingReader a = w.get("arrivals").mapping(ARRIVALS);
    String process = a.get("process").oneOf(List.of("poisson", "mmpp", "trace"))
        .orElse("poisson");
    OptionalDouble targetLoad = a.get("target-load").parsed(s -> number(s, 0, 10, false))
        .map(OptionalDouble::of).orElse(OptionalDouble.empty());
    ConfigValue rateValue = a.get("rate");
    Arrivals.Spec spec = null;
    String traceType = types.isEmpty() ? "" : types.getFirst().name();
    switch (process) {
      case "poisson" -> {
        if (!rateValue.isPresent() && targetLoad.isEmpty()) {
          rateValue.error("missing (expected: requests per second, or arrivals.target-load)");
        }
        // With only a target load, the rate is set when the fleet's capacity is known.
        spec = rateValue.positiveNumber().map(r -> (Arrivals.Spec) new Arrivals.Poisson(r))
            .orElse(new Arrivals.Poisson(1));
      }
      case "mmpp" -> {
        List<Arrivals.Mmpp.State> states = new ArrayList<>();
        ConfigValue statesValue = a.required("states",
            "a list such as [{rate: 500, mean-dwell: 30s}, {rate: 2000, mean-dwell: 5s}]");
        for (ConfigValue item : statesValue.list()) {
          item.mappingIfValid(STATE).ifPresent(m -> {
            Optional<Double> rate = m.required("rate", "requests per second, >= 0")
                .parsed(s -> number(s, 0, Double.MAX_VALUE, true));
            Optional<Duration> dwell = m.required("mean-dwell", "a duration such as 30s")
                .parsed(SimConfigLoader::positiveDuration);
            if (rate.isPresent() && dwell.isPresent()) {
              states.add(new Arrivals.Mmpp.State(rate.get(), dwell.get()));
            }
          });
        }
        if (!states.isEmpty()) {
          if (states.stream().allMatch(s -> s.rate() == 0)) {
            statesValue.error("every rate is 0 (expected: at least one state with arrivals)");
          } else {
            spec = new Arrivals.Mmpp(states);
          }
        }
      }
      default -> {
        ConfigValue traceValue = a.required("trace",
            "builtin:azure-llm-2023-conv, builtin:azure-llm-2023-code or a CSV file");
        Optional<Trace> trace = traceValue.parsed(s -> {
          try {
            return Trace.load(s.strip(), dir);
          } catch (IOException e) {
            throw new IllegalArgumentException("\"" + s + "\": cannot read: " + e.getMessage());
          }
        });
        double scale = a.get("time-scale").positiveNumber().orElse(1.0);
        // Looping keeps a time-scaled trace going for the whole run.
        boolean loop = a.get("loop").oneOf(Map.of("true", true, "false", false)).orElse(true);
        ConfigValue typeValue = a.get("type");
        if (typeValue.isPresent()) {
          traceType = typeValue.oneOf(types.stream().map(SimConfig.RequestType::name).toList())
              .orElse(traceType);
        }
        if (trace.isPresent() && targetLoad.isPresent() && trace.get().rate() == 0) {
          traceValue.error("all requests at one instant: no rate to scale to a target load"
              + " (expected: a trace spanning some time, or time-scale instead of target-load)");
        } else if (trace.isPresent()) {
          try {
            spec = new Arrivals.Replay(trace.get(), scale, loop);
          } catch (IllegalArgumentException e) {
            traceValue.error(e.getMessage());
          }
        }
      }
    }
    if (spec == null) {
      spec = new Arrivals.Poisson(1); // reported above; loading goes on to find more
    }
    MappingReader t = w.get("tenants").mapping(TENANTS);
    int tenants = t.get("count").integer(1).orElse(1);
    // 1.1: the skew usually reported for API tenants: a handful send most requests.
    double zipf = t.get("zipf-s").parsed(s -> number(s, 0, 10, true)).orElse(1.1);
    MappingReader sla = w.get("sla").mapping(SLA);
    // InferMesh's: 5 s per thousand tokens, at least 5 s.
    Duration base = sla.get("base").parsed(SimConfigLoader::positiveDuration)
        .orElse(Duration.ofSeconds(5));
    int perTokens = sla.get("per-tokens").integer(1).orElse(1000);
    return new SimConfig.Workload(spec, targetLoad, types, traceType, tenants, zipf,
        new SimConfig.Sla(base, perTokens));
  }

  private static Optional<SimConfig.RequestType> type(MappingReader m,
      List<SimConfig.Model> models) {
    Optional<String> name = m.required("name", "a name such as llm").nonBlankText();
    Optional<String> model = m.required("model", "the name of one of models[]")
        .oneOf(models.stream().map(SimConfig.Model::family).distinct().toList());
    double weight = m.get("weight").parsed(s -> number(s, 0, Double.MAX_VALUE, true)).orElse(1.0);
    Optional<Distribution> prompt = distribution(m.required("prompt-tokens",
        "a distribution such as {dist: lognormal, mu: 3.8, sigma: 0.6}"));
    Optional<Distribution> output = distribution(m.required("output-tokens",
        "a distribution such as {dist: lognormal, mu: 4.6, sigma: 0.7}"));
    // 128k: the longest context windows served today.
    int maxPrompt = m.get("max-prompt-tokens").integer(1).orElse(131_072);
    int maxOutput = m.get("max-output-tokens").integer(1).orElse(32_768);
    if (name.isEmpty() || model.isEmpty() || prompt.isEmpty() || output.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new SimConfig.RequestType(name.get(), model.get(), weight, prompt.get(),
        output.get(), maxPrompt, maxOutput));
  }

  static Optional<Distribution> distribution(ConfigValue value) {
    Optional<MappingReader> mapping = value.mappingIfValid(DIST);
    if (mapping.isEmpty()) {
      return Optional.empty();
    }
    MappingReader d = mapping.get();
    Optional<String> kind = d.required("dist", "constant, uniform, exponential or lognormal")
        .oneOf(List.of("constant", "uniform", "exponential", "lognormal"));
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    Function<String, Optional<Double>> nonNegative = key -> d.required(key, "a number >= 0")
        .parsed(s -> number(s, 0, Double.MAX_VALUE, true));
    try {
      return switch (kind.get()) {
        case "constant" -> nonNegative.apply("value").map(Distribution.Constant::new);
        case "uniform" -> {
          Optional<Double> min = nonNegative.apply("min");
          Optional<Double> max = nonNegative.apply("max");
          if (min.isPresent() && max.isPresent() && max.get() < min.get()) {
            d.get("max").error(max.get() + " (expected: >= min " + min.get() + ")");
            yield Optional.empty();
          }
          yield min.flatMap(lo -> max.map(hi -> new Distribution.Uniform(lo, hi)));
        }
        case "exponential" -> d.required("mean", "a number > 0").positiveNumber()
            .map(Distribution.Exponential::new);
        default -> {
          Optional<Double> mu = d.required("mu", "the log-mean, e.g. 3.8")
              .parsed(s -> number(s, -50, 50, true));
          Optional<Double> sigma = nonNegative.apply("sigma");
          yield mu.flatMap(m -> sigma.map(s -> new Distribution.LogNormal(m, s)));
        }
      };
    } catch (IllegalArgumentException e) {
      value.error(e.getMessage());
      return Optional.empty();
    }
  }

  // ---- fleet and models

  private static SimConfig.Fleet fleet(MappingReader f, Map<String, GpuProfile> profiles) {
    for (ConfigValue item : f.get("profiles").list()) {
      item.mappingIfValid(PROFILE).flatMap(SimConfigLoader::profile)
          .ifPresent(p -> profiles.put(p.name(), p));
    }
    int cells = f.required("cells", "the number of cells, e.g. 4").integer(1).orElse(1);
    int perRegion = f.get("cells-per-region").integer(1).orElse(cells);
    List<SimConfig.NodeGroup> groups = new ArrayList<>();
    ConfigValue nodes = f.required("nodes", "a list such as [{count: 128, profile: H100-80G}]");
    for (ConfigValue item : nodes.list()) {
      item.mappingIfValid(NODES).ifPresent(m -> {
        Optional<Integer> count = m.required("count", "nodes per cell, e.g. 128").integer(1);
        Optional<String> profile = m.required("profile", "a GPU profile name")
            .oneOf(List.copyOf(profiles.keySet()));
        int gpus = m.get("gpus").integer(1).orElse(1);
        int mig = m.get("mig-slices").integer(1).orElse(1);
        if (count.isPresent() && profile.isPresent()) {
          groups.add(new SimConfig.NodeGroup(count.get(), profile.get(), gpus, mig));
        }
      });
    }
    int queueLimit = f.get("worker-queue-limit").integer(0).orElse(0);
    return new SimConfig.Fleet(cells, perRegion, groups, profiles, queueLimit);
  }

  private static Optional<GpuProfile> profile(MappingReader m) {
    Optional<String> name = m.required("name", "a profile name such as H100-80G").nonBlankText();
    Optional<Double> tokens = m.required("tokens-per-s", "decode tokens per second of a full "
        + "batch").positiveNumber();
    Optional<Double> prefill = m.get("prefill-tokens-per-s").positiveNumber();
    double ceiling = m.get("request-tokens-per-s")
        .parsed(s -> number(s, 0, Double.MAX_VALUE, true)).orElse(0.0);
    Optional<Integer> slots = m.required("concurrency", "batch slots, e.g. 16").integer(1);
    Optional<Double> vram = m.required("vram-gb", "GPU memory in decimal GB, e.g. 80")
        .positiveNumber();
    double cost = m.get("cost-per-hour").parsed(s -> number(s, 0, 1e6, true)).orElse(0.0);
    Duration window = m.get("batch-window").parsed(SimConfigLoader::duration)
        .orElse(Duration.ZERO);
    if (name.isEmpty() || tokens.isEmpty() || slots.isEmpty() || vram.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new GpuProfile(name.get(), tokens.get(), prefill.orElse(tokens.get()),
        ceiling, slots.get(), (long) (vram.get() * 1e9), cost, window));
  }

  private static List<SimConfig.Model> models(ConfigValue value, SimConfig.Fleet fleet) {
    List<SimConfig.Model> models = new ArrayList<>();
    List<ConfigValue> replicaValues = new ArrayList<>();
    if (!value.isPresent()) {
      value.error("missing (expected: a list such as [{name: llama, weights-gb: 16,"
          + " kv-bytes-per-token: 131072, placements: [{replicas: 0}]}])");
    }
    for (ConfigValue item : value.list()) {
      item.mappingIfValid(MODEL).ifPresent(m -> {
        Optional<String> name = m.required("name", "a model name").nonBlankText();
        ConfigValue copiesValue = m.get("copies");
        int asked = copiesValue.integer(1).orElse(1);
        if (asked > MAX_COPIES) {
          copiesValue.error(asked + " (expected: at most " + MAX_COPIES + ")");
        }
        int copies = asked > MAX_COPIES ? 1 : asked;
        double weightsGb = m.get("weights-gb").parsed(s -> number(s, 0, 1e6, true)).orElse(0.0);
        ConfigValue perToken = m.get("kv-bytes-per-token");
        ConfigValue perRequest = m.get("kv-gb-per-request");
        double kvToken = perToken.parsed(s -> number(s, 0, 1e12, true)).orElse(0.0);
        double kvRequestGb = perRequest.parsed(s -> number(s, 0, 1e6, true)).orElse(0.0);
        if (perToken.isPresent() && perRequest.isPresent()) {
          perRequest.error("set with kv-bytes-per-token (expected: one of the two)");
        }
        List<SimConfig.PlacementGroup> placements = new ArrayList<>();
        ConfigValue pv = m.get("placements");
        if (!pv.isPresent()) {
          placements.add(new SimConfig.PlacementGroup(0, List.of(), Optional.empty()));
          replicaValues.add(pv);
        }
        for (ConfigValue p : pv.list()) {
          p.mappingIfValid(PLACEMENT).ifPresent(pm -> {
            ConfigValue replicas = pm.get("replicas");
            List<String> names = new ArrayList<>();
            List<String> known = new ArrayList<>(fleet.profiles().keySet());
            for (SimConfig.NodeGroup g : fleet.groups()) {
              if (g.migSlices() > 1) {
                known.add(g.profile() + "/" + g.migSlices());
              }
            }
            for (ConfigValue n : pm.get("profiles").list()) {
              n.oneOf(known).ifPresent(names::add);
            }
            placements.add(new SimConfig.PlacementGroup(replicas.integer(0).orElse(0), names,
                pipeline(pm.get("pipeline"))));
            replicaValues.add(replicas.isPresent() ? replicas : pm.get("profiles"));
          });
        }
        int groups = replicaValues.size() - placements.size();
        for (int c = 1; c < copies; c++) {
          // Each copy's placements point at the same keys when they do not fit.
          replicaValues.addAll(
              new ArrayList<>(replicaValues.subList(groups, groups + placements.size())));
        }
        name.ifPresent(n -> {
          for (int c = 0; c < copies; c++) {
            models.add(new SimConfig.Model(copies == 1 ? n : n + "-" + c,
                (long) (weightsGb * 1e9), kvToken, (long) (kvRequestGb * 1e9), placements, n));
          }
        });
      });
    }
    // The placements must fit the fleet: the same allocation the run will make.
    if (!models.isEmpty() && !fleet.groups().isEmpty()) {
      try {
        Placements.allocate(fleet, models);
      } catch (Placements.DoesNotFit e) {
        int flat = 0;
        for (SimConfig.Model m : models) {
          for (int i = 0; i < m.placements().size(); i++, flat++) {
            if (m == e.model() && i == e.group() && flat < replicaValues.size()) {
              boolean copy = !m.name().equals(m.family());
              replicaValues.get(flat).error((copy ? m.name() + ": " : "") + e.getMessage());
            }
          }
        }
      }
    }
    return models;
  }

  private static Optional<SimConfig.Pipeline> pipeline(ConfigValue value) {
    if (!value.isPresent()) {
      return Optional.empty();
    }
    return value.mappingIfValid(PIPELINE).flatMap(p -> {
      Optional<Integer> stages = p.required("stages", "an integer >= 2").integer(2);
      Optional<String> fabric = p.required("fabric", String.join(", ", FABRICS)).oneOf(FABRICS);
      Optional<Double> gbps = p.required("bandwidth-gbps", "the link's bandwidth in Gbit/s")
          .positiveNumber();
      Duration latency = p.get("link-latency").parsed(SimConfigLoader::duration)
          .orElse(Duration.ZERO);
      // 16 KiB: one token's hidden state of an 8B model (4096 x BF16) is 8 KiB; x2 for headroom.
      int activation = p.get("activation-bytes-per-token").integer(1).orElse(16_384);
      if (stages.isEmpty() || fabric.isEmpty() || gbps.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new SimConfig.Pipeline(stages.get(), fabric.get(), gbps.get() * 1e9 / 8,
          latency, activation));
    });
  }

  // ---- router, signals, network

  private static SimConfig.Router router(MappingReader r) {
    RouterSettings defaults = RouterSettings.DEFAULTS;
    Duration staleAfter = r.get("stale-after").parsed(SimConfigLoader::positiveDuration)
        .orElse(defaults.staleAfter());
    StalePolicy stale = r.get("stale-policy").oneOf(Map.of("penalize", StalePolicy.PENALIZE,
        "drop", StalePolicy.DROP)).orElse(defaults.stalePolicy());
    Map<String, Double> weights = new LinkedHashMap<>();
    ConfigValue w = r.get("weights");
    MappingReader wm = w.mapping(WEIGHTS);
    for (String key : WEIGHTS) {
      wm.get(key).parsed(s -> number(s, 0, 1e6, true)).ifPresent(v -> weights.put(key, v));
    }
    MappingReader admission = r.get("admission").mapping(ADMISSION);
    int maxQueue = admission.get("max-queue-per-target").integer(0).orElse(0);
    int maxTenant = admission.get("max-in-flight-per-tenant").integer(0).orElse(0);
    MappingReader hedging = r.get("hedging").mapping(HEDGING);
    boolean hedge = hedging.get("enabled").oneOf(Map.of("true", true, "false", false))
        .orElse(false);
    Duration hedgeDelay = hedging.get("delay").parsed(SimConfigLoader::duration)
        .orElse(Duration.ofMillis(500));
    // The production router's: columns are rebuilt at most this often.
    Duration rebuild = r.get("rebuild-interval").parsed(SimConfigLoader::duration)
        .orElse(Duration.ofNanos(CandidateTables.MIN_REBUILD_INTERVAL_NANOS));
    return new SimConfig.Router(staleAfter, stale, weights, maxQueue, maxTenant, hedge,
        hedgeDelay, rebuild);
  }

  private static SimConfig.Signals signals(MappingReader s) {
    // Runtime figures: scraped every 500 ms (the agent's default) and pushed; a few ms within a
    // cell, tens of ms across. GPU figures: read every 5 s (gpus.refresh-interval). Their delays
    // are those of the gossiped record they used to ride, kept so that runs compare with the
    // published ones; the agent now streams them like runtime figures (docs/simulation.md).
    return new SimConfig.Signals(
        signal(s.get("runtime").mapping(SIGNAL), Duration.ofMillis(500), Duration.ofMillis(1),
            Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(80)),
        signal(s.get("gpu").mapping(SIGNAL), Duration.ofSeconds(5), Duration.ofMillis(50),
            Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofMillis(2000)));
  }

  private static SimConfig.SignalPath signal(MappingReader m, Duration period, Duration intraMin,
      Duration intraMax, Duration interMin, Duration interMax) {
    Duration p = m.get("period").parsed(SimConfigLoader::positiveDuration).orElse(period);
    Duration[] intra = range(m.get("intra-cell-delay"), intraMin, intraMax);
    Duration[] inter = range(m.get("inter-cell-delay"), interMin, interMax);
    return new SimConfig.SignalPath(p, intra[0], intra[1], inter[0], inter[1]);
  }

  /** {@code [min, max]} durations; a single duration means a fixed delay. */
  private static Duration[] range(ConfigValue v, Duration min, Duration max) {
    if (!v.isPresent()) {
      return new Duration[] {min, max};
    }
    if (!v.isList()) {
      Optional<Duration> d = v.parsed(SimConfigLoader::duration);
      return d.map(x -> new Duration[] {x, x}).orElse(new Duration[] {min, max});
    }
    List<ConfigValue> items = v.list();
    if (items.size() != 2) {
      v.error("a list of " + items.size() + " (expected: [min, max], e.g. [1ms, 5ms])");
      return new Duration[] {min, max};
    }
    Optional<Duration> lo = items.get(0).parsed(SimConfigLoader::duration);
    Optional<Duration> hi = items.get(1).parsed(SimConfigLoader::duration);
    if (lo.isPresent() && hi.isPresent() && hi.get().compareTo(lo.get()) < 0) {
      items.get(1).error(ConfigLoader.formatDuration(hi.get()) + " (expected: >= "
          + ConfigLoader.formatDuration(lo.get()) + ")");
      return new Duration[] {min, max};
    }
    return new Duration[] {lo.orElse(min), hi.orElse(max)};
  }

  private static SimConfig.Network network(MappingReader n) {
    // 200 us: a round trip inside one data centre's fabric.
    Duration intra = n.get("intra-cell-rtt").parsed(SimConfigLoader::positiveDuration)
        .orElse(Duration.ofNanos(200_000));
    // 60 ms: cells spread over a continent.
    Duration span = n.get("span").parsed(SimConfigLoader::duration)
        .orElse(Duration.ofMillis(60));
    Duration height = n.get("max-height").parsed(SimConfigLoader::duration)
        .orElse(Duration.ofMillis(2));
    double noise = n.get("noise").parsed(s -> number(s, 0, 1, true)).orElse(0.1);
    double gbps = n.get("bandwidth-gbps").positiveNumber().orElse(100.0);
    return new SimConfig.Network(intra, span, height, noise, gbps * 1e9 / 8);
  }

  // ---- scalars

  private static final java.util.regex.Pattern MICROS =
      java.util.regex.Pattern.compile("(\\d+)us");

  /**
   * The agent's durations ({@code 250ms}, {@code 5s}, {@code 1m30s}, {@code PT5S}) and, since
   * network and link delays are often below a millisecond, microseconds: {@code 200us}.
   */
  static Duration duration(String s) {
    java.util.regex.Matcher m = MICROS.matcher(s.strip());
    if (m.matches()) {
      return Duration.ofNanos(Long.parseLong(m.group(1)) * 1000);
    }
    try {
      return ConfigLoader.parseDuration(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replace("1m30s or PT5S",
          "1m30s, 200us or PT5S"));
    }
  }

  static Duration positiveDuration(String s) {
    Duration d = duration(s);
    if (d.isZero()) {
      throw new IllegalArgumentException("\"" + s + "\" (expected: a duration > 0)");
    }
    return d;
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + s + "\" (expected: an integer)");
    }
  }

  /** A number in {@code [min, max]} ({@code (min, max]} when {@code minIncluded} is false). */
  static double number(String s, double min, double max, boolean minIncluded) {
    String expected = "(expected: a number " + (minIncluded ? ">= " : "> ") + fmt(min)
        + (max < Double.MAX_VALUE ? " and <= " + fmt(max) : "") + ")";
    double v;
    try {
      v = Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + s + "\" " + expected);
    }
    if (Double.isNaN(v) || v > max || v < min || (!minIncluded && v == min)) {
      throw new IllegalArgumentException(s.strip() + " " + expected);
    }
    return v;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
