package dev.meshd.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshd.agent.policy.PolicyGrpcService;
import dev.meshd.agent.testing.InMemoryPolicyStore;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.Replica;
import dev.meshd.core.policy.StoreSnapshot;
import dev.meshd.core.policy.StoreUnavailableException;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A StoreView of a control agent's PolicyService, over gRPC in process. */
class RemoteStoreSourceTest {

  private static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");

  private final InMemoryPolicyStore store = new InMemoryPolicyStore();
  private final AtomicInteger unavailable = new AtomicInteger();
  private Server server;
  private ManagedChannel channel;
  private StoreView view;
  private RemoteStoreSource source;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new PolicyGrpcService(store, null))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    source = new RemoteStoreSource(
        () -> Optional.of(new RemoteStoreSource.Endpoint("c1", channel,
            unavailable::incrementAndGet)),
        Optional.empty(), "m1", Duration.ofSeconds(5));
    view = new StoreView(source, Duration.ofMillis(10), Duration.ofMillis(50), System::nanoTime);
  }

  @AfterEach
  void stop() {
    view.close();
    channel.shutdownNow();
    server.shutdownNow();
  }

  private StoreSnapshot atRevision(long revision) throws Exception {
    return view.awaitRevision(revision).get(5, TimeUnit.SECONDS);
  }

  @Test
  void listsAndWatchesEveryKindThroughTheWire() throws Exception {
    store.putPolicy(Policy.of("p", "llama-*", "hybrid"), OptionalLong.empty()).join();
    store.putPlacement(Placement.ofReplicas("pl", "llama-8b",
        List.of(new Replica("node1", List.of(0)))), OptionalLong.empty()).join();
    view.start();
    assertThat(atRevision(2).placements()).containsOnlyKeys("pl");

    store.putDrain(NodeDrain.of("node2", "upgrade", AT), OptionalLong.empty()).join();
    store.deletePolicy("p", OptionalLong.empty()).join();

    StoreSnapshot snapshot = atRevision(4);
    assertThat(snapshot.drain("node2")).contains(
        NodeDrain.of("node2", "upgrade", AT).withRevision(3));
    assertThat(snapshot.policies()).isEmpty();
  }

  @Test
  void aLostStreamOrACompactedHistoryLeadsToARelist() throws Exception {
    view.start();
    atRevision(0);
    await().atMost(Duration.ofSeconds(5)).until(() -> store.openWatches() == 1);

    store.breakWatches(new StoreUnavailableException("closing", null));
    store.putDrain(NodeDrain.of("node2", "", AT), OptionalLong.empty()).join();
    assertThat(atRevision(1).isDraining("node2")).isTrue();
    assertThat(unavailable.get()).as("the control agent is reported").isPositive();

    await().atMost(Duration.ofSeconds(5)).until(() -> store.openWatches() == 1);
    store.compactThrough(1);
    store.putDrain(NodeDrain.of("node3", "", AT), OptionalLong.empty()).join();
    assertThat(atRevision(2).drains()).containsOnlyKeys("node2", "node3");
  }

  @Test
  void anAgentWritesAPlacementCompareAndSetAndLearnsOfAConflict() throws Exception {
    Placement placement = Placement.ofReplicas("pl", "llama-8b",
        List.of(new Replica("node1", List.of(0))));

    Placement written = source.putPlacement(placement, OptionalLong.of(0)).get(5, TimeUnit.SECONDS);
    assertThat(written.revision()).isEqualTo(1);

    assertThatThrownBy(() -> source.putPlacement(placement, OptionalLong.of(0))
        .get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(dev.meshd.core.policy.RevisionConflictException.class);
    assertThat(unavailable.get()).as("a conflict is not an unavailable agent").isZero();
  }
}
