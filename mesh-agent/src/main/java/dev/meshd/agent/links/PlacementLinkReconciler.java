package dev.meshd.agent.links;

import dev.meshd.agent.store.PlacementWriter;
import dev.meshd.agent.store.StoreReader;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.FleetView;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.StageLink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@link LinkPlanner}'s decisions: runs negotiations, writes their outcomes (and DOWN
 * marks) into the placements' link statuses, compare-and-set on the placement's revision, and
 * keeps trying a write that lost a race until it lands or the placement moved on.
 *
 * <p>Runs on one thread of its own: every field below is touched only there. It plans on every
 * store change and fleet event and on a tick ({@link #TICK}), so a due re-probe or retry is never
 * later than one tick. Negotiations run concurrently (one per link), each bounded by {@link
 * LinkSettings#negotiationTimeout()}; their outcomes come back to the thread to be written.
 *
 * <p>A write is skipped when the stored status already says the same (same state, transport and
 * reasons, bandwidth and RTT within {@link #CHANGE_THRESHOLD}), so periodic re-probes of a
 * healthy link do not churn the store's revision.
 */
public final class PlacementLinkReconciler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PlacementLinkReconciler.class);

  /** Longest time between two plans: a due re-probe or retry waits at most this. */
  static final Duration TICK = Duration.ofSeconds(5);
  /** Relative change of bandwidth or RTT below which a re-probe's figures are not rewritten. */
  static final double CHANGE_THRESHOLD = 0.10;

  private final LinkPlanner planner;
  private final LinkSettings settings;
  private final StoreReader store;
  private final FleetView fleet;
  private final PlacementWriter writer;
  private final LinkNegotiator negotiator;
  private final Clock clock;
  private final LinkObserver observer;
  private final ScheduledExecutorService thread;
  private final Map<LinkRef, LinkMemory> memory = new HashMap<>();
  private final Set<LinkRef> busy = new HashSet<>();
  private final Map<LinkRef, LinkStatus> unwritten = new LinkedHashMap<>();
  private final List<AutoCloseable> subscriptions = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private boolean planQueued;

  /** Told of this agent's links: the metrics' gauges. Called on the reconciler's thread. */
  public interface LinkObserver {
    /** {@code link}'s status as this agent last found or marked it. */
    void onStatus(LinkRef link, LinkStatus status);

    /** Only these placements exist now; forget links of any other. */
    void retainPlacements(Set<String> placements);

    LinkObserver NONE = new LinkObserver() {
      @Override
      public void onStatus(LinkRef link, LinkStatus status) {}

      @Override
      public void retainPlacements(Set<String> placements) {}
    };
  }

  public PlacementLinkReconciler(String selfId, LinkSettings settings, StoreReader store,
      FleetView fleet, PlacementWriter writer, LinkNegotiator negotiator, Clock clock) {
    this(selfId, settings, store, fleet, writer, negotiator, clock, LinkObserver.NONE);
  }

  public PlacementLinkReconciler(String selfId, LinkSettings settings, StoreReader store,
      FleetView fleet, PlacementWriter writer, LinkNegotiator negotiator, Clock clock,
      LinkObserver observer) {
    this.planner = new LinkPlanner(selfId, settings);
    this.settings = settings;
    this.store = store;
    this.fleet = fleet;
    this.writer = writer;
    this.negotiator = negotiator;
    this.clock = clock;
    this.observer = observer;
    this.thread = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("meshd-links").daemon().factory());
  }

  /** Subscribes to the store and the fleet and starts the tick; call once. */
  public void start() {
    subscriptions.add(store.onChange(snapshot -> requestPlan()));
    FleetView.Subscription fleetEvents = fleet.subscribe(event -> requestPlan());
    subscriptions.add(fleetEvents::close);
    thread.scheduleWithFixedDelay(this::runPlan, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Plans soon on the reconciler's thread; coalesces bursts of changes into one plan. */
  private void requestPlan() {
    if (closed.get()) {
      return;
    }
    try {
      thread.execute(() -> {
        if (!planQueued) {
          planQueued = true;
          thread.execute(this::runPlan);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private void runPlan() {
    planQueued = false;
    if (closed.get()) {
      return;
    }
    try {
      writePending();
      Map<String, FleetMember> members = new HashMap<>();
      fleet.members().forEach(m -> members.put(m.nodeId(), m));
      Instant now = clock.instant();
      Map<String, Placement> placements = store.snapshot().placements();
      observer.retainPlacements(placements.keySet());
      memory.keySet().removeIf(link -> !placements.containsKey(link.placement()));
      List<LinkAction> actions = planner.plan(placements.values(), members, memory, busy, now);
      for (LinkAction action : actions) {
        switch (action) {
          case LinkAction.MarkDown down -> {
            LOG.info("link {} DOWN: {}", down.link().label(), down.reason());
            record(down.link(), new LinkStatus("", "", 0, 0, LinkState.DOWN, down.reason(),
                List.of(), now));
          }
          case LinkAction.Negotiate negotiate -> start(negotiate, members);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("placement links: planning failed, retrying at the next tick", e);
    }
  }

  private void start(LinkAction.Negotiate action, Map<String, FleetMember> members) {
    LinkRef link = action.link();
    FleetMember up = members.get(link.upstreamNode());
    FleetMember down = members.get(link.downstreamNode());
    LOG.info("negotiating link {} with {} ({})", link.label(), link.downstreamNode(),
        action.why());
    busy.add(link);
    long upFabric = FabricIdentity.of(up.record());
    long downFabric = FabricIdentity.of(down.record());
    CompletableFuture<LinkStatus> negotiation;
    try {
      negotiation = negotiator.negotiate(link, up, down);
    } catch (RuntimeException e) {
      negotiation = CompletableFuture.failedFuture(e);
    }
    negotiation.orTimeout(settings.negotiationTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((status, failure) -> {
          try {
            thread.execute(() -> finished(link, upFabric, downFabric, status, failure));
          } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: the outcome is dropped, the next start negotiates again
          }
        });
  }

  private void finished(LinkRef link, long upFabric, long downFabric, LinkStatus status,
      Throwable failure) {
    busy.remove(link);
    Instant now = clock.instant();
    LinkStatus outcome = failure == null ? status : new LinkStatus("", "", 0, 0,
        LinkState.FAILED, "negotiation did not run: " + describe(failure), List.of(), now);
    LinkMemory before = memory.get(link);
    int failures = outcome.state() == LinkState.FAILED
        ? (before == null ? 0 : before.failuresInARow()) + 1 : 0;
    memory.put(link, new LinkMemory(upFabric, downFabric, now, failures));
    LOG.info("link {}: {} {}{}", link.label(), outcome.state(), outcome.transport(),
        outcome.reason().isEmpty() ? "" : " (" + outcome.reason() + ")");
    record(link, outcome);
  }

  /** Queues {@code status} for {@code link} and tries to write it now. */
  private void record(LinkRef link, LinkStatus status) {
    observer.onStatus(link, status);
    unwritten.put(link, status);
    writePending();
  }

  private void writePending() {
    for (Map.Entry<LinkRef, LinkStatus> entry : List.copyOf(unwritten.entrySet())) {
      LinkRef link = entry.getKey();
      if (busy.contains(link)) {
        continue; // a write of it is in flight; retried when that one ends
      }
      Optional<Placement> updated = withStatus(link, entry.getValue());
      if (updated.isEmpty()) {
        unwritten.remove(link);
        continue;
      }
      busy.add(link);
      Placement next = updated.get();
      LinkStatus status = entry.getValue();
      writer.putPlacement(next, OptionalLong.of(next.revision()))
          .whenComplete((written, failure) -> {
            try {
              thread.execute(() -> written(link, status, failure));
            } catch (java.util.concurrent.RejectedExecutionException e) {
              // closing
            }
          });
    }
  }

  private void written(LinkRef link, LinkStatus status, Throwable failure) {
    busy.remove(link);
    if (failure == null) {
      if (unwritten.get(link) == status) {
        unwritten.remove(link);
      }
      return;
    }
    // A conflict (someone wrote the placement first) or an unreachable store: the status stays
    // queued and is written again over the placement as it then is, at the next plan.
    LOG.debug("link {}: status not written yet: {}", link.label(), describe(failure));
  }

  /**
   * The stored placement with {@code status} on {@code link}; empty when the write is moot: the
   * placement is gone, its stages moved, or it already says the same.
   */
  private Optional<Placement> withStatus(LinkRef link, LinkStatus status) {
    Placement current = store.snapshot().placements().get(link.placement());
    if (current == null) {
      return Optional.empty();
    }
    Optional<StageLink> stored = current.links().stream()
        .filter(l -> l.fromStage() == link.fromStage()).findFirst();
    if (stored.isEmpty() || !LinkPlanner.ref(current, stored.get()).equals(Optional.of(link))) {
      return Optional.empty();
    }
    if (sameForOperators(stored.get().status(), status)) {
      return Optional.empty();
    }
    return Optional.of(current.withLinkStatus(link.fromStage(), status));
  }

  /** Whether writing {@code next} over {@code stored} would tell an operator nothing new. */
  static boolean sameForOperators(LinkStatus stored, LinkStatus next) {
    return stored.state() == next.state() && stored.transport().equals(next.transport())
        && stored.fabricClass().equals(next.fabricClass())
        && stored.reason().equals(next.reason())
        && stored.fallbackReasons().equals(next.fallbackReasons())
        && close(stored.bandwidthBytesPerSecond(), next.bandwidthBytesPerSecond())
        && close(stored.rttMicros(), next.rttMicros());
  }

  private static boolean close(long a, long b) {
    return Math.abs(a - b) <= CHANGE_THRESHOLD * Math.max(Math.abs(a), Math.abs(b));
  }

  private static String describe(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException
        && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof java.util.concurrent.TimeoutException) {
      return "no outcome within the negotiation timeout";
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  /** Stops planning; negotiations in flight finish on their own, their outcomes dropped. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (AutoCloseable s : subscriptions) {
      try {
        s.close();
      } catch (Exception e) {
        LOG.debug("unsubscribe failed", e);
      }
    }
    thread.shutdownNow();
  }
}
