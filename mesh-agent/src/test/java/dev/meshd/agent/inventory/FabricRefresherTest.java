package dev.meshd.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.LinkLayer;
import dev.meshd.core.fabric.NodeFabric;
import dev.meshd.core.fabric.QuicEndpoint;
import dev.meshd.core.fabric.RdmaPort;
import dev.meshd.core.fabric.RdmaPortState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FabricRefresherTest {

  private static final FabricInventory ACTIVE_PORT = new FabricInventory(
      List.of(new RdmaPort("mlx5_0", 1, RdmaPortState.ACTIVE, 5, "LinkUp", 200,
          LinkLayer.INFINIBAND)),
      List.of(), List.of(), List.of(), List.of("nvidia-smi not found on PATH"));

  private static final FabricInventory DOWN_PORT = new FabricInventory(
      List.of(new RdmaPort("mlx5_0", 1, RdmaPortState.DOWN, 3, "Disabled", 200,
          LinkLayer.INFINIBAND)),
      List.of(), List.of(), List.of(), List.of("nvidia-smi not found on PATH"));

  private final AtomicReference<CapabilityRecord> record = new AtomicReference<>(
      new CapabilityRecord(CapabilityRecord.SCHEMA_VERSION, "n1", "h", "z", "r", Map.of(),
          Set.of(), "0.1.0", 10, "", "", "", List.of(), List.of(), FabricRefresher.PENDING));
  private final List<CapabilityRecord> published = new ArrayList<>();
  private final AtomicReference<FabricInventory> found = new AtomicReference<>(ACTIVE_PORT);
  private Optional<QuicEndpoint> quic = Optional.empty();

  private FabricRefresher refresher() {
    return new FabricRefresher(found::get, () -> quic, change -> {
      CapabilityRecord current = record.get();
      CapabilityRecord next = change.apply(current);
      if (next != current) {
        record.set(next);
        published.add(next);
      }
    });
  }

  @Test
  void theFirstDiscoveryReplacesThePendingFabricAndRepublishes() {
    refresher().refreshOnce();

    assertThat(published).singleElement().satisfies(r -> {
      assertThat(r.recordVersion()).isEqualTo(11);
      assertThat(r.fabric()).isEqualTo(NodeFabric.of(ACTIVE_PORT));
    });
  }

  @Test
  void anUnchangedFabricIsNotRepublished() {
    FabricRefresher refresher = refresher();

    refresher.refreshOnce();
    refresher.refreshOnce();
    refresher.refreshOnce();

    assertThat(published).hasSize(1);
  }

  @Test
  void aChangeIsRepublished() {
    FabricRefresher refresher = refresher();
    refresher.refreshOnce();

    found.set(DOWN_PORT);
    refresher.refreshOnce();

    assertThat(published).hasSize(2);
    assertThat(record.get().fabric().fabricClasses()).isEmpty();
    assertThat(record.get().recordVersion()).isEqualTo(12);
  }

  @Test
  void theQuicEndpointRidesInTheFabricPartWhenThereIsOne() {
    FabricRefresher refresher = refresher();
    refresher.refreshOnce();

    quic = Optional.of(new QuicEndpoint("10.0.0.11", 7072, "ab".repeat(32)));
    refresher.refreshOnce();

    assertThat(published).hasSize(2);
    assertThat(record.get().fabric().quicEndpoint()).isEqualTo(quic);
  }

  @Test
  void aDiscoveryThatThrowsChangesNothing() {
    FabricRefresher refresher = new FabricRefresher(() -> {
      throw new IllegalStateException("boom");
    }, Optional::empty, change -> published.add(change.apply(record.get())));

    refresher.refreshOnce();

    assertThat(published).isEmpty();
  }

  @Test
  void aDiscoveryCutShortByStoppingPublishesNothing() {
    FabricRefresher refresher = new FabricRefresher(() -> {
      Thread.currentThread().interrupt();
      return FabricInventory.absent("sysfs-rdma: interrupted while waiting");
    }, Optional::empty, change -> published.add(change.apply(record.get())));

    try {
      refresher.refreshOnce();
    } finally {
      assertThat(Thread.interrupted()).isTrue();
    }

    assertThat(published).isEmpty();
  }

  @Test
  void startDiscoversRightAwayOnItsOwnThread() {
    try (FabricRefresher refresher = refresher()) {
      refresher.start(FabricRefresher.INTERVAL);

      await().atMost(Duration.ofSeconds(10))
          .until(() -> record.get().fabric().equals(NodeFabric.of(ACTIVE_PORT)));
    }
  }

  @Test
  void theLogLineSaysWhatIsOfferedAndWhyTheRestIsMissing() {
    assertThat(FabricRefresher.summary(NodeFabric.of(ACTIVE_PORT))).isEqualTo(
        "offers RDMA_IB; 1 RDMA port(s), 0 GPU peer link(s), 0 libfabric provider(s), "
            + "QUIC endpoint none; nvidia-smi not found on PATH");
    assertThat(FabricRefresher.summary(NodeFabric.empty())).startsWith("offers no fabric class;");
  }

  @Test
  void theStandardSourcesAreTheHostsAndFindNoToolsOnAnEmptyPath() {
    var discovery = FabricSources.standard(Map.of("PATH", ""));

    assertThat(discovery.sourceNames())
        .containsExactly("sysfs-rdma", "libfabric", "gpu-topology");
    assertThat(discovery.discover().reasons())
        .contains("nvidia-smi not found on PATH")
        .anyMatch(reason -> reason.startsWith("rocm-smi not found on PATH"));
  }
}
