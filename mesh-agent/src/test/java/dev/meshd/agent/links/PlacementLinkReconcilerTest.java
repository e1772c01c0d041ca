package dev.meshd.agent.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshd.agent.store.PlacementWriter;
import dev.meshd.agent.store.StoreReader;
import dev.meshd.agent.testing.FakeFleet;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.policy.DocumentKind;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.RevisionConflictException;
import dev.meshd.core.policy.Stage;
import dev.meshd.core.policy.StoreSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against an in-memory store (compare-and-set like the real one) and a fleet the
 * test edits: what it writes, when it negotiates, and how it survives lost races and hangs.
 */
class PlacementLinkReconcilerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final LinkStatus QUIC_UP = new LinkStatus("quic", "QUIC", 800_000_000L, 150,
      LinkState.UP, "", List.of("rdma: provider_missing"), Instant.parse("2026-11-30T01:00:00Z"));

  private final FakeFleet fleet = new FakeFleet();
  private final LinkStore store = new LinkStore();
  private final AtomicInteger negotiations = new AtomicInteger();
  private PlacementLinkReconciler reconciler;

  @AfterEach
  void stop() {
    if (reconciler != null) {
      reconciler.close();
    }
  }

  private void start(LinkNegotiator negotiator, LinkSettings settings) {
    fleet.put(FakeFleet.record("node1", "127.0.0.1:1", false), MemberState.ALIVE);
    fleet.put(FakeFleet.record("node2", "127.0.0.1:2", false), MemberState.ALIVE);
    store.write(pipeline());
    reconciler = new PlacementLinkReconciler("node1", settings, store, fleet, store,
        (link, up, down) -> {
          negotiations.incrementAndGet();
          return negotiator.negotiate(link, up, down);
        }, Clock.systemUTC());
    reconciler.start();
  }

  @Test
  void aPendingLinkIsNegotiatedOnceAndItsOutcomeWritten() {
    start((link, up, down) -> CompletableFuture.completedFuture(QUIC_UP), LinkSettings.defaults());

    await().atMost(WAIT).until(() -> state() == LinkState.UP);
    assertThat(store.placement().links().getFirst().status()).isEqualTo(QUIC_UP);
    store.write(store.placement()); // an unrelated change: plans again, negotiates nothing
    await().atMost(WAIT).until(() -> store.writes.get() >= 3);
    assertThat(negotiations.get()).isEqualTo(1);
  }

  @Test
  void aWriteThatLosesARaceIsWrittenAgainOverTheNewerPlacement() {
    store.conflictsToInject.set(2);
    start((link, up, down) -> CompletableFuture.completedFuture(QUIC_UP), LinkSettings.defaults());

    await().atMost(WAIT).until(() -> state() == LinkState.UP);
    assertThat(negotiations.get()).as("the outcome is kept, not renegotiated").isEqualTo(1);
  }

  @Test
  void aNegotiationThatHangsEndsFailedAtItsTimeout() {
    start((link, up, down) -> new CompletableFuture<>(), new LinkSettings(Duration.ofMinutes(5),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMillis(300)));

    await().atMost(WAIT).until(() -> state() == LinkState.FAILED);
    assertThat(store.placement().links().getFirst().status().reason())
        .isEqualTo("negotiation did not run: no outcome within the negotiation timeout");
  }

  @Test
  void aDeadDownstreamIsMarkedDownAndRenegotiatedWhenBack() {
    start((link, up, down) -> CompletableFuture.completedFuture(QUIC_UP), LinkSettings.defaults());
    await().atMost(WAIT).until(() -> state() == LinkState.UP);

    fleet.put(FakeFleet.record("node2", "127.0.0.1:2", false), MemberState.DEAD);
    await().atMost(WAIT).until(() -> state() == LinkState.DOWN);
    assertThat(store.placement().links().getFirst().status().reason())
        .isEqualTo("downstream node node2 is DEAD");

    fleet.put(FakeFleet.record("node2", "127.0.0.1:2", false), MemberState.ALIVE);
    await().atMost(WAIT).until(() -> state() == LinkState.UP);
    assertThat(negotiations.get()).isEqualTo(2);
  }

  @Test
  void materialSameness() {
    LinkStatus slightlyFaster = new LinkStatus("quic", "QUIC", 850_000_000L, 140, LinkState.UP,
        "", List.of("rdma: provider_missing"), Instant.now());
    LinkStatus halved = new LinkStatus("quic", "QUIC", 400_000_000L, 150, LinkState.UP, "",
        List.of("rdma: provider_missing"), Instant.now());
    assertThat(PlacementLinkReconciler.sameForOperators(QUIC_UP, slightlyFaster)).isTrue();
    assertThat(PlacementLinkReconciler.sameForOperators(QUIC_UP, halved)).isFalse();
  }

  private LinkState state() {
    return store.placement().links().getFirst().status().state();
  }

  private static Placement pipeline() {
    return Placement.ofStages("pp", "m", List.of(new Stage(0, 0, 15, "node1", List.of(0)),
        new Stage(1, 16, 31, "node2", List.of(0))));
  }

  /** One placement in memory, with the store's compare-and-set and revision rules. */
  private static final class LinkStore implements StoreReader, PlacementWriter {
    private final AtomicReference<StoreSnapshot> snapshot =
        new AtomicReference<>(StoreSnapshot.EMPTY);
    private final List<Consumer<StoreSnapshot>> listeners = new CopyOnWriteArrayList<>();
    final AtomicInteger conflictsToInject = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();

    Placement placement() {
      return snapshot.get().placements().get("pp");
    }

    synchronized Placement write(Placement placement) {
      StoreSnapshot current = snapshot.get();
      long revision = current.revision() + 1;
      Placement stored = placement.withLinkStatusesFrom(current.placements().get(placement.name()))
          .withRevision(revision);
      StoreSnapshot next = new StoreSnapshot(Map.of(), Map.of(stored.name(), stored), Map.of(),
          revision);
      snapshot.set(next);
      writes.incrementAndGet();
      listeners.forEach(l -> l.accept(next));
      return stored;
    }

    @Override
    public StoreSnapshot snapshot() {
      return snapshot.get();
    }

    @Override
    public AutoCloseable onChange(Consumer<StoreSnapshot> listener) {
      listeners.add(listener);
      return () -> listeners.remove(listener);
    }

    @Override
    public synchronized CompletableFuture<Placement> putPlacement(Placement placement,
        OptionalLong expectedRevision) {
      long current = placement() == null ? 0 : placement().revision();
      if (conflictsToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        write(placement()); // someone else wrote first
        return CompletableFuture.failedFuture(new RevisionConflictException(
            DocumentKind.PLACEMENT, placement.name(), expectedRevision.orElse(0), current + 1));
      }
      if (expectedRevision.isPresent() && expectedRevision.getAsLong() != current) {
        return CompletableFuture.failedFuture(new RevisionConflictException(
            DocumentKind.PLACEMENT, placement.name(), expectedRevision.getAsLong(), current));
      }
      return CompletableFuture.completedFuture(write(placement));
    }
  }
}
