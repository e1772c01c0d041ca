package dev.meshd.router.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.RuntimeInfo;
import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.signal.AgedGpuSignal;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.core.signal.GpuSignal;
import dev.meshd.core.signal.ModelLoad;
import dev.meshd.core.signal.RuntimeSignal;
import dev.meshd.core.signal.SignalView;
import dev.meshd.router.CandidateColumns;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.strategy.Strategies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * When a model's columns are rebuilt: not while nothing changed; before the decision when the
 * store changed or the columns are old; in the background, no more often than the minimum
 * interval, when only signals or members changed. Background rebuilds run when the test says
 * (a queue stands in for the executor), and time is a counter.
 */
class CandidateTablesTest {

  private static final String MODEL = "m";
  private static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");
  private static final long MS = 1_000_000L;

  private final AtomicLong nanos = new AtomicLong(10_000 * MS);
  private final AtomicLong signalsVersion = new AtomicLong(1);
  private final Map<String, List<AgedSignal>> signals = new ConcurrentHashMap<>();
  private final AtomicReference<List<FleetMember>> members =
      new AtomicReference<>(List.of(member("n1"), member("n2")));
  private final AtomicReference<RoutingTable> table = new AtomicReference<>(RoutingTable.EMPTY);
  private final DispatchLedger ledger = new DispatchLedger(nanos::get);
  private final Queue<Runnable> background = new ArrayDeque<>();
  /** Each node's GPU reading with the time it was taken on {@link #nanos}. */
  private final Map<String, Map.Entry<GpuSignal, Long>> gpus = new ConcurrentHashMap<>();
  private final SignalView view = new SignalView() {
    @Override
    public List<AgedSignal> signals(String nodeId) {
      return signals.getOrDefault(nodeId, List.of());
    }

    @Override
    public List<AgedGpuSignal> gpus(String nodeId) {
      Map.Entry<GpuSignal, Long> reading = gpus.get(nodeId);
      return reading == null ? List.of() : List.of(new AgedGpuSignal(reading.getKey(),
          Duration.ofNanos(nanos.get() - reading.getValue())));
    }

    @Override
    public long version() {
      return signalsVersion.get();
    }
  };
  private final CandidateBuilder builder =
      new CandidateBuilder(view, ledger, RouterSettings.DEFAULTS.staleAfter());
  private final CandidateTables tables =
      new CandidateTables(builder, table::get, members::get, nanos::get, background::add);

  @Test
  void unchangedInputsReuseTheColumns() {
    CandidateColumns first = columns();
    nanos.addAndGet(500 * MS);

    assertThat(columns()).isSameAs(first);
    assertThat(background).isEmpty();
  }

  @Test
  void newSignalsRebuildInTheBackgroundAtMostEveryInterval() {
    load("n1", 3);
    CandidateColumns first = columns();
    load("n1", 0);

    nanos.addAndGet(1 * MS); // within the minimum interval: nothing yet
    assertThat(columns()).isSameAs(first);
    assertThat(background).isEmpty();

    nanos.addAndGet(2 * MS);
    assertThat(columns()).as("the old columns serve until the rebuild ran").isSameAs(first);
    assertThat(columns()).isSameAs(first);
    assertThat(background).as("one rebuild at a time").hasSize(1);

    background.remove().run();
    CandidateColumns rebuilt = columns();
    assertThat(rebuilt).isNotSameAs(first);
    assertThat(rebuilt.queueDepth(0)).isZero();
  }

  @Test
  void aStoreChangeAppliesToTheVeryNextDecision() {
    CandidateColumns first = columns();
    table.set(new RoutingTable(List.of(), List.of(), Set.of("n2"), 7));

    CandidateColumns next = columns();

    assertThat(next).isNotSameAs(first);
    assertThat(next.blocked(1)).isEqualTo(CandidateColumns.DRAINING);
    assertThat(background).isEmpty();
  }

  @Test
  void oldColumnsAreRebuiltBeforeDecidingAfterAQuietSpell() {
    CandidateColumns first = columns();
    members.set(List.of(member("n1")));
    nanos.addAndGet(CandidateTables.SYNC_REBUILD_AFTER_NANOS + MS);

    CandidateColumns next = columns();

    assertThat(next).isNotSameAs(first);
    assertThat(next.size()).isEqualTo(1);
  }

  @Test
  void aViewThatCannotTellItsVersionIsAlwaysTakenAsChanged() {
    signalsVersion.set(SignalView.UNVERSIONED);
    CandidateColumns first = columns();
    nanos.addAndGet(3 * MS);

    assertThat(columns()).isSameAs(first);
    assertThat(background).hasSize(1);
  }

  @Test
  void aGpuReadingTurningStaleRebuildsBeforeTheNextDecision() {
    members.set(List.of(CandidateBuilderTest.member("n1")));
    gpus.put("n1", Map.entry(new GpuSignal(0, "GPU-n1", 60_000_000_000L, 80_000_000_000L, 0.9,
        true, Duration.ofSeconds(5), T0), nanos.get()));
    signalsVersion.incrementAndGet();
    CandidateColumns fresh = columns();
    assertThat(fresh.gpuUtilization(0)).isEqualTo(0.9);

    // No input changes (no batch, no member, no store write) while the reading ages past
    // stale-after (2 s) beyond the next reading's due time (5 s).
    nanos.addAndGet(7_000 * MS);
    assertThat(columns()).as("still fresh at the bound").isSameAs(fresh);
    nanos.addAndGet(1 * MS);

    CandidateColumns next = columns();
    assertThat(next).isNotSameAs(fresh);
    assertThat(next.gpuUtilization(0)).as("the record's figure").isEqualTo(0.1);
    assertThat(next.vramFreeRatio(0)).isEqualTo(1 - 10.0 / 80);
    assertThat(background).as("rebuilt before deciding, not in the background").isEmpty();
    assertThat(columns()).as("and kept: the record's figures do not expire").isSameAs(next);
  }

  @Test
  void dispatchesCountIntoTheColumnsAsTheyAreRecorded() {
    CandidateColumns columns = columns();

    ledger.recordDispatch("n2/http://n2:8000");
    ledger.recordDispatch("n2/http://n2:8000");

    assertThat(columns.routedSinceSignal(1)).isEqualTo(2);
    assertThat(columns.routedSinceSignal(0)).isZero();
  }

  @Test
  void modelsNothingServesAreNotRemembered() {
    assertThat(tables.current("no-such-model")).isEmpty();
    columns();
    members.set(List.of());
    nanos.addAndGet(CandidateTables.SYNC_REBUILD_AFTER_NANOS + MS);
    assertThat(tables.current(MODEL)).as("served by nothing any more").isEmpty();
  }

  @Test
  void theRouterDecidesOnTheColumnsAndSpreadsConsecutiveRequests() {
    load("n1", 0);
    load("n2", 0);
    Router router = new Router(new Strategies(new SplittableRandom(1)), builder, table::get,
        members::get, () -> RouterSettings.DEFAULTS, nanos::get, tables);

    String first = router.choose(RouteRequest.of(MODEL), 1).ranked().getFirst().candidate()
        .nodeId();
    ledger.recordDispatch(first + "/http://" + first + ":8000");
    String second = router.choose(RouteRequest.of(MODEL), 1).ranked().getFirst().candidate()
        .nodeId();

    assertThat(second).as("the first request counts as queued on " + first).isNotEqualTo(first);
    assertThat(background).isEmpty();
  }

  private CandidateColumns columns() {
    return tables.current(MODEL).orElseThrow().columns();
  }

  private void load(String node, double queue) {
    signals.put(node, List.of(new AgedSignal(RuntimeSignal.healthy(RuntimeKind.VLLM,
        "http://" + node + ":8000", List.of(new ModelLoad(MODEL, queue, 0,
            OptionalDouble.of(0.1))), T0), Duration.ofMillis(10))));
    signalsVersion.incrementAndGet();
  }

  private static FleetMember member(String id) {
    CapabilityRecord record = new CapabilityRecord(CapabilityRecord.SCHEMA_VERSION, id,
        "host-" + id, "z1", "r1", Map.of(), Set.of("gpu"), "test", 1, id + ":7070", "", "",
        List.of(), List.of(new RuntimeInfo(RuntimeKind.VLLM, "http://" + id + ":8000",
            List.of(MODEL))));
    return new FleetMember(record, MemberState.ALIVE, T0, T0, T0);
  }
}
