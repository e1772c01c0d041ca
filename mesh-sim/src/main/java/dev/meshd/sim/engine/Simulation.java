package dev.meshd.sim.engine;

import dev.meshd.core.policy.Admission;
import dev.meshd.router.CandidateColumns;
import dev.meshd.router.EligibleTargets;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import dev.meshd.router.TargetFilters;
import dev.meshd.router.strategy.Strategies;
import dev.meshd.router.strategy.TargetScorer;
import dev.meshd.sim.config.SimConfig;
import dev.meshd.sim.fleet.Fleet;
import dev.meshd.sim.fleet.Network;
import dev.meshd.sim.report.RunResult;
import dev.meshd.sim.report.TypeStats;
import dev.meshd.sim.workload.Arrivals;
import dev.meshd.sim.workload.Zipf;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One strategy's run of a {@link Scenario}: a discrete-event loop over arrivals, network hops,
 * batch windows, hedge timers, signal publications and deliveries (an {@link EventQueue}) and the
 * workers' prefill and decode completions (a {@link WorkerTimers}), deciding every request with
 * the production router's filters and strategy ({@link TargetFilters#eligible}, {@link
 * TargetScorer#best}) on each cell's router's own, delayed view of the workers.
 *
 * <p>Single-threaded and deterministic: the same scenario and strategy give the same result.
 */
public final class Simulation implements Workers.Listener {

  static final int REJECT_NO_ELIGIBLE = 0;
  static final int REJECT_ADMISSION = 1;
  static final int REJECT_TENANT = 2;
  static final int REJECT_TOO_LARGE = 3;
  static final int REJECT_WORKER_QUEUE = 4;

  private static final int ARRIVAL = 0;
  private static final int ATTEMPT_ARRIVE = 1;
  private static final int WINDOW_CLOSE = 2;
  private static final int HEDGE = 3;
  private static final int PUBLISH_RUNTIME = 4;
  private static final int PUBLISH_GPU = 5;

  /** Told how a run is going, every few tens of thousands of events and at its end. */
  public interface Progress {
    void update(String strategy, long simNanos, long durationNanos, long events, long wallNanos,
        boolean finished);

    Progress NONE = (s, t, d, e, w, f) -> {};
  }

  private final Scenario scenario;
  private final SimConfig config;
  private final Fleet fleet;
  private final Network network;
  private final String strategy;
  private final TargetScorer scorer;
  private final Progress progress;
  private final EventQueue events = new EventQueue(1 << 16);
  private final WorkerTimers timers;
  private final RequestTable requests = new RequestTable();
  private final Workers workers;
  private final SignalBoard board;
  private final ModelTargets[] targets;
  /** Per cell and model; made when the cell's router first decides for the model. */
  private final RouterView[][] views;
  private final long rebuildNanos;
  private final long dispatchRetention;
  private final ColumnsBudget columnsBudget;
  private final SplittableRandom workload;
  private final SplittableRandom signals;
  private final SplittableRandom net;
  private final Arrivals arrivals;
  private final boolean replay;
  private final int traceType;
  private final double[] typeCumulative;
  /** Per request type, its first model and how many copies its requests are spread over. */
  private final int[] typeModel;
  private final int[] typeCopies;
  private final int[] maxOutput;
  private final String[] modelName;
  private final Zipf tenants;
  private final String[] tenantName;
  private final Optional<RouteRequest.Origin>[] origins;
  private final Map<String, Integer> workerByName;
  private final int[] inFlightByTenant;
  private final Admission admission;
  private final TypeStats[] stats;
  /** Completed requests by the link class of the pipeline that served them; empty without. */
  private final TypeStats[] linkStats;
  /** Each worker's index into {@link #linkStats}; -1 for a worker on one GPU. */
  private final int[] linkOf;
  private final long durationNanos;
  private final long maxNanos;
  private final int cells;
  private final long runtimePeriod;
  private final long gpuPeriod;

  private boolean arrivalsDone;
  private long outstanding;
  private long eventCount;
  /** Publications times routers: the deliveries the routers resolve when they rebuild. */
  private long deliveries;
  private long decisions;
  private long lastCompletion;
  private double vramUseSum;
  private long vramSamples;
  private double vramPeak;
  private final List<String> errors = new ArrayList<>();

  @SuppressWarnings("unchecked")
  private Simulation(Scenario scenario, String strategy, Progress progress,
      ColumnsBudget columnsBudget) {
    this.scenario = scenario;
    this.config = scenario.config();
    this.fleet = scenario.fleet();
    this.network = scenario.network();
    this.strategy = strategy;
    this.progress = progress;
    this.scorer = new Strategies(new SplittableRandom(scenario.strategySeed())).forName(strategy)
        .orElseThrow(() -> new IllegalArgumentException("strategy: " + strategy));
    workload = new SplittableRandom(scenario.workloadSeed());
    signals = new SplittableRandom(scenario.signalSeed());
    net = new SplittableRandom(scenario.networkSeed());
    cells = fleet.cells;
    durationNanos = config.duration().toNanos();
    maxNanos = durationNanos * 50 + 600_000_000_000L;
    List<SimConfig.Model> models = config.models();
    modelName = models.stream().map(SimConfig.Model::name).toArray(String[]::new);
    double[] kvPerToken = models.stream().mapToDouble(SimConfig.Model::kvBytesPerToken).toArray();
    long[] kvPerRequest = models.stream().mapToLong(SimConfig.Model::kvBytesPerRequest).toArray();
    timers = new WorkerTimers(fleet.size);
    workers = new Workers(fleet, requests, timers, this, kvPerToken, kvPerRequest,
        config.fleet().workerQueueLimit());
    board = new SignalBoard(fleet, config.signals());
    runtimePeriod = config.signals().runtime().period().toNanos();
    gpuPeriod = config.signals().gpu().period().toNanos();
    rebuildNanos = config.router().rebuildInterval().toNanos();
    // A router that has not looked at the logs for a delay and a period rescans its workers.
    long runtimeDelay = board.runtime.maxDelay();
    long gpuDelay = board.gpu.maxDelay();
    targets = new ModelTargets[models.size()];
    for (int m = 0; m < models.size(); m++) {
      targets[m] = new ModelTargets(fleet, fleet.workersOfModel[m], modelName[m],
          2 * runtimeDelay + runtimePeriod, 2 * gpuDelay + gpuPeriod);
    }
    // Every worker's shown runtime signal is younger than a period and a delay (once publication
    // 1 has arrived): dispatches older than twice that are never counted again.
    dispatchRetention = 2 * (runtimePeriod + runtimeDelay) + rebuildNanos;
    views = new RouterView[cells][models.size()];
    this.columnsBudget = columnsBudget;
    workerByName = HashMap.newHashMap(fleet.size);
    for (int w = 0; w < fleet.size; w++) {
      workerByName.put(fleet.name[w], w);
    }
    SimConfig.Workload wl = config.workload();
    arrivals = scenario.arrivals().start();
    replay = scenario.arrivals() instanceof Arrivals.Replay;
    int types = wl.types().size();
    typeCumulative = new double[types];
    typeModel = new int[types];
    typeCopies = new int[types];
    maxOutput = new int[types];
    stats = new TypeStats[types];
    double total = 0;
    int trace = 0;
    for (int t = 0; t < types; t++) {
      SimConfig.RequestType type = wl.types().get(t);
      total += type.weight();
      typeCumulative[t] = total;
      List<SimConfig.Model> served = config.modelsOf(type);
      typeModel[t] = models.indexOf(served.getFirst());
      typeCopies[t] = served.size();
      stats[t] = new TypeStats(type.name());
      maxOutput[t] = type.maxOutputTokens();
      if (type.name().equals(wl.traceType())) {
        trace = t;
      }
    }
    traceType = trace;
    linkOf = new int[fleet.size];
    List<String> classes = new ArrayList<>();
    for (int w = 0; w < fleet.size; w++) {
      String c = fleet.link[w] == null ? null : fleet.link[w].fabricClass();
      if (c != null && !classes.contains(c)) {
        classes.add(c);
      }
      linkOf[w] = c == null ? -1 : classes.indexOf(c);
    }
    linkStats = new TypeStats[classes.size()];
    for (int i = 0; i < linkStats.length; i++) {
      linkStats[i] = new TypeStats(classes.get(i));
    }
    tenants = new Zipf(wl.tenants(), wl.tenantZipf());
    tenantName = new String[wl.tenants()];
    for (int i = 0; i < tenantName.length; i++) {
      tenantName[i] = "tenant-" + i;
    }
    inFlightByTenant = new int[wl.tenants()];
    origins = (Optional<RouteRequest.Origin>[]) new Optional<?>[cells];
    for (int c = 0; c < cells; c++) {
      origins[c] = Optional.of(new RouteRequest.Origin("router-" + c, "router-" + c, "cell-" + c,
          "region-" + c / config.fleet().cellsPerRegion()));
    }
    admission = new Admission(config.router().maxQueuePerTarget(),
        config.router().maxInFlightPerTenant());
  }

  /** Runs {@code strategy} on the scenario's workload to the last completion. */
  public static RunResult run(Scenario scenario, String strategy, Progress progress) {
    return new Simulation(scenario, strategy, progress, ColumnsBudget.ofHeap()).run();
  }

  /** As {@link #run(Scenario, String, Progress)} with the routers' columns bounded to so many. */
  static RunResult run(Scenario scenario, String strategy, long columnsBudgetEntries) {
    return new Simulation(scenario, strategy, Progress.NONE,
        new ColumnsBudget(columnsBudgetEntries)).run();
  }

  private RunResult run() {
    long wallStart = System.nanoTime();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    for (int w = 0; w < fleet.size; w++) {
      // Publication 0: every router starts knowing every worker idle (RouterView agrees).
      board.publishRuntime(w, 0, 0, 0, 0, 0, 0, null);
      board.publishGpu(w, 0, 1.0 - (double) fleet.weightsBytes[w] / fleet.vramBytes[w], 0,
          null);
      events.schedule(1 + (long) (signals.nextDouble() * runtimePeriod), PUBLISH_RUNTIME, w, 0);
      events.schedule(1 + (long) (signals.nextDouble() * gpuPeriod), PUBLISH_GPU, w, 0);
    }
    scheduleNextArrival();
    long now = 0;
    while (true) {
      long te = events.peekTime();
      long tw = timers.peekTime();
      if (te == Long.MAX_VALUE && tw == WorkerTimers.NONE) {
        break;
      }
      if (tw < te) {
        now = tw;
        workers.step(timers.peekWorker(), now);
      } else {
        events.poll();
        now = events.time();
        handle(events.kind(), events.a(), events.b(), now);
      }
      if ((++eventCount & 0xFFFF) == 0) {
        progress.update(strategy, now, durationNanos, eventCount + deliveries,
            System.nanoTime() - wallStart, false);
        if (now > maxNanos) {
          errors.add("stopped at " + now / 1e9 + " s of simulated time with " + outstanding
              + " request(s) outstanding: the fleet cannot drain this load");
          break;
        }
      }
    }
    long wall = System.nanoTime() - wallStart;
    progress.update(strategy, now, durationNanos, eventCount + deliveries, wall, true);
    return result(wall, threads.getCurrentThreadCpuTime() - cpuStart);
  }

  private void handle(int kind, int a, int b, long now) {
    switch (kind) {
      case ARRIVAL -> onArrival(now);
      case ATTEMPT_ARRIVE -> workers.arrive(requests.worker[a], a, now);
      case WINDOW_CLOSE -> workers.closeWindow(a, now);
      case HEDGE -> onHedge(a, now);
      case PUBLISH_RUNTIME -> onPublishRuntime(a, now);
      case PUBLISH_GPU -> onPublishGpu(a, now);
      default -> throw new IllegalStateException("event kind " + kind);
    }
  }

  // ---- arrivals and routing

  private void scheduleNextArrival() {
    long next = arrivals.next(workload);
    if (next < durationNanos) {
      events.schedule(next, ARRIVAL, 0, 0);
    } else {
      arrivalsDone = true;
    }
  }

  private void onArrival(long now) {
    int type;
    int prompt;
    int output;
    if (replay) {
      type = traceType;
      prompt = arrivals.promptTokens();
      output = arrivals.outputTokens();
    } else {
      type = pickType();
      SimConfig.RequestType t = config.workload().types().get(type);
      prompt = t.promptTokens().sampleTokens(workload, 1, t.maxPromptTokens());
      output = t.outputTokens().sampleTokens(workload, 1, t.maxOutputTokens());
    }
    int tenant = tenants.sample(workload);
    int origin = workload.nextInt(cells);
    // Drawn only for copies, so that a config without them keeps its workload stream.
    int model = typeCopies[type] == 1 ? typeModel[type]
        : typeModel[type] + workload.nextInt(typeCopies[type]);
    int r = requests.add(now, type, model, tenant, origin, prompt, output);
    stats[type].arrived++;
    outstanding++;
    scheduleNextArrival();
    route(r, now);
  }

  private int pickType() {
    if (typeCumulative.length == 1) {
      return 0;
    }
    double u = workload.nextDouble() * typeCumulative[typeCumulative.length - 1];
    for (int t = 0; t < typeCumulative.length; t++) {
      if (u < typeCumulative[t]) {
        return t;
      }
    }
    return typeCumulative.length - 1;
  }

  private void route(int r, long now) {
    int tenant = requests.tenant[r];
    if (admission.maxInFlightPerTenant() > 0
        && inFlightByTenant[tenant] >= admission.maxInFlightPerTenant()) {
      reject(r, REJECT_TENANT);
      return;
    }
    int origin = requests.origin[r];
    int model = requests.model[r];
    RouterView view = view(origin, model);
    CandidateColumns columns = view.columns(now);
    SimConfig.Router rc = config.router();
    // maxTokens is what a client sends, the type's bound, not the length the answer will have:
    // a strategy must not learn the future from the simulator.
    ScoringContext context = new ScoringContext(new RouteRequest(modelName[model],
        tenantName[tenant], requests.prompt[r], maxOutput[requests.type[r]], origins[origin]),
        rc.weights(), rc.staleAfter(), rc.stalePolicy());
    EligibleTargets eligible = TargetFilters.eligible(columns, context, admission, now);
    decisions++;
    if (eligible.size() == 0) {
      boolean admissionOnly = admission.maxQueueDepthPerTarget() > 0 && TargetFilters.eligible(
          columns, context, Admission.UNLIMITED, now).size() > 0;
      reject(r, admissionOnly ? REJECT_ADMISSION : REJECT_NO_ELIGIBLE);
      return;
    }
    List<ScoredTarget> chosen = scorer.best(context, eligible, rc.hedging() ? 2 : 1);
    inFlightByTenant[tenant]++;
    dispatch(2 * r, worker(chosen.getFirst()), now, view);
    if (rc.hedging() && chosen.size() > 1) {
      requests.hedgeWorker[r] = worker(chosen.get(1));
      events.schedule(now + rc.hedgeDelay().toNanos(), HEDGE, r, 0);
    }
  }

  private RouterView view(int cell, int model) {
    RouterView view = views[cell][model];
    if (view == null) {
      view = new RouterView(targets[model], board, cell, rebuildNanos, dispatchRetention,
          columnsBudget);
      views[cell][model] = view;
    }
    return view;
  }

  private int worker(ScoredTarget target) {
    return workerByName.get(target.candidate().nodeId());
  }

  private void dispatch(int attempt, int w, long now, RouterView view) {
    int r = RequestTable.request(attempt);
    int origin = requests.origin[r];
    requests.worker[attempt] = w;
    requests.state[attempt] = RequestTable.IN_FLIGHT;
    view.dispatched(fleet.indexInModel[w], now);
    // Text payloads: about 4 bytes per token each way.
    long there = network.oneWayNanos(origin, fleet.cell[w], 4L * requests.prompt[r], net);
    requests.backNanos[attempt] = network.oneWayNanos(fleet.cell[w], origin,
        4L * requests.output[r], net);
    events.schedule(now + there, ATTEMPT_ARRIVE, attempt, 0);
  }

  private void onHedge(int r, long now) {
    if (requests.done[r] || requests.firstToken[r] >= 0 || !requests.isLive(2 * r)) {
      return;
    }
    stats[requests.type[r]].hedged++;
    decisions++;
    int model = requests.model[r];
    dispatch(2 * r + 1, requests.hedgeWorker[r], now, view(requests.origin[r], model));
  }

  private void reject(int r, int reason) {
    requests.done[r] = true;
    stats[requests.type[r]].rejected[reason]++;
    outstanding--;
  }

  // ---- what workers report

  @Override
  public void onFirstToken(int attempt, long now) {
    int r = RequestTable.request(attempt);
    requests.firstToken[r] = now;
    int partner = attempt ^ 1;
    if (requests.isLive(partner)) {
      stats[requests.type[r]].wastedTokens += workers.cancel(partner, now);
    }
    if (RequestTable.isHedge(attempt)) {
      stats[requests.type[r]].hedgeWins++;
    }
  }

  @Override
  public void onComplete(int attempt, long now) {
    int r = RequestTable.request(attempt);
    requests.done[r] = true;
    outstanding--;
    inFlightByTenant[requests.tenant[r]]--;
    long back = requests.backNanos[attempt];
    completed(stats[requests.type[r]], attempt, r, now, back);
    int link = linkOf[requests.worker[attempt]];
    if (link >= 0) {
      linkStats[link].arrived++;
      completed(linkStats[link], attempt, r, now, back);
    }
    lastCompletion = Math.max(lastCompletion, now + back);
  }

  private void completed(TypeStats s, int attempt, int r, long now, long back) {
    long endToEnd = now + back - requests.arrival[r];
    s.completed++;
    s.endToEnd.record(endToEnd);
    s.firstToken.record(requests.firstToken[r] + back - requests.arrival[r]);
    s.queueWait.record(requests.admitted[attempt] - requests.atWorker[attempt]);
    s.promptTokens += requests.prompt[r];
    s.outputTokens += requests.output[r];
    if (endToEnd <= config.workload().sla().boundNanos(requests.prompt[r]
        + requests.output[r])) {
      s.slaMet++;
    }
  }

  @Override
  public void onRefused(int attempt, long now, int reason) {
    int r = RequestTable.request(attempt);
    if (requests.isLive(attempt ^ 1) || requests.done[r]) {
      return; // its partner goes on
    }
    inFlightByTenant[requests.tenant[r]]--;
    reject(r, reason);
  }

  @Override
  public void scheduleWindowClose(int worker, long atNanos) {
    events.schedule(atNanos, WINDOW_CLOSE, worker, 0);
  }

  // ---- signals

  private boolean finished() {
    return arrivalsDone && outstanding == 0;
  }

  private void onPublishRuntime(int w, long now) {
    workers.advance(w, now);
    long held = workers.kvHeldBytes(w);
    double kv = fleet.kvCapacityBytes[w] == 0 ? 1.0
        : Math.min(1.0, (double) held / fleet.kvCapacityBytes[w]);
    int k = board.publishRuntime(w, now, workers.waitingCount[w], workers.used[w], kv,
        workers.generated[w], workers.interTokenSeconds[w], signals);
    targets[fleet.model[w]].runtimeLog.add(now, fleet.indexInModel[w], k);
    deliveries += cells;
    double vramUse = (double) (fleet.weightsBytes[w] + held) / fleet.vramBytes[w];
    vramUseSum += vramUse;
    vramSamples++;
    vramPeak = Math.max(vramPeak, vramUse);
    if (!finished()) {
      events.schedule(now + runtimePeriod, PUBLISH_RUNTIME, w, 0);
    }
  }

  private void onPublishGpu(int w, long now) {
    workers.advance(w, now);
    long since = now - board.lastGpuNanos[w];
    double util = since <= 0 ? 0 : (workers.busyNanos[w] - board.busyAtLast[w]) / since;
    board.busyAtLast[w] = workers.busyNanos[w];
    board.lastGpuNanos[w] = now;
    double free = 1.0 - (double) (fleet.weightsBytes[w] + workers.kvHeldBytes(w))
        / fleet.vramBytes[w];
    int k = board.publishGpu(w, now, free, Math.min(1.0, util), signals);
    targets[fleet.model[w]].gpuLog.add(now, fleet.indexInModel[w], k);
    deliveries += cells;
    if (!finished()) {
      events.schedule(now + gpuPeriod, PUBLISH_GPU, w, 0);
    }
  }

  // ---- the result

  private RunResult result(long wall, long cpu) {
    TypeStats all = new TypeStats("all");
    for (TypeStats s : stats) {
      all.add(s);
      if (s.arrived != s.completed + s.rejectedTotal()) {
        errors.add(s.type + ": " + s.arrived + " arrived, " + s.completed + " completed, "
            + s.rejectedTotal() + " rejected");
      }
    }
    int busy = 0;
    for (int w = 0; w < fleet.size; w++) {
      if (!workers.isIdle(w)) {
        busy++;
      }
    }
    if (busy > 0) {
      errors.add(busy + " worker(s) still hold slots, KV cache or queued requests at the end");
    }
    long makespan = Math.max(lastCompletion, durationNanos);
    double gpuBusy = 0;
    for (int w = 0; w < fleet.size; w++) {
      gpuBusy += workers.busyNanos[w] * fleet.gpuShare[w];
    }
    double utilization = gpuBusy / (fleet.gpuCount() * makespan);
    return new RunResult(strategy, List.of(stats), List.of(linkStats), all, makespan,
        utilization,
        vramSamples == 0 ? 0 : vramUseSum / vramSamples, vramPeak, fleet.costPerSecond(),
        eventCount + deliveries, deliveries, wall, cpu, decisions, scenario.arrivals().meanRate(), errors);
  }
}
