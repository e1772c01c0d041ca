package dev.meshd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreSnapshotTest {

  private static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");

  @Test
  void listingsMakeASnapshotAtTheOldestOfTheirRevisions() {
    StoreSnapshot snapshot = StoreSnapshot.of(
        new Listing<>(List.of(Policy.of("p", "m", "hybrid").withRevision(2)), 7),
        new Listing<>(List.of(), 5),
        new Listing<>(List.of(NodeDrain.of("node2", "", AT).withRevision(4)), 6));

    assertThat(snapshot.revision()).isEqualTo(5);
    assertThat(snapshot.policies()).containsOnlyKeys("p");
    assertThat(snapshot.isDraining("node2")).isTrue();
    assertThat(snapshot.drain("node1")).isEmpty();
  }

  @Test
  void applyPutsAndDeletesEachKindAndLeavesTheOriginalAlone() {
    NodeDrain drain = NodeDrain.of("node2", "upgrade", AT).withRevision(1);
    StoreSnapshot one = StoreSnapshot.EMPTY.apply(StoreChange.put(drain));
    StoreSnapshot two = one.apply(StoreChange.put(Policy.of("p", "m", "hybrid").withRevision(2)));
    StoreSnapshot three = two.apply(StoreChange.delete(3, DocumentKind.DRAIN, "node2"));

    assertThat(StoreSnapshot.EMPTY.drains()).isEmpty();
    assertThat(one.drain("node2")).contains(drain);
    assertThat(one.revision()).isEqualTo(1);
    assertThat(two.policies()).containsOnlyKeys("p");
    assertThat(three.drains()).isEmpty();
    assertThat(three.policies()).containsOnlyKeys("p");
    assertThat(three.revision()).isEqualTo(3);
    assertThatThrownBy(() -> three.drains().put("x", drain))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aDrainChangeCarriesTheDrainOnlyForAPut() {
    NodeDrain drain = NodeDrain.of("node2", "", AT).withRevision(9);
    assertThat(StoreChange.put(drain).name()).isEqualTo("node2");
    assertThat(StoreChange.put(drain).kind()).isEqualTo(DocumentKind.DRAIN);
    assertThatThrownBy(() -> new StoreChange(9, ChangeType.DELETE, DocumentKind.DRAIN, "node2",
        null, null, drain)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StoreChange(9, ChangeType.PUT, DocumentKind.DRAIN, "node2",
        null, null, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
