package dev.meshd.agent.store;

import dev.meshd.core.policy.StoreSnapshot;
import java.util.function.Consumer;

/**
 * The read side of a {@link StoreView}: the latest snapshot and a way to hear of new ones. What
 * the API services take, so that tests can hand them a fixed store.
 */
public interface StoreReader {

  /** The store as this agent last saw it; never null. */
  StoreSnapshot snapshot();

  /** Calls {@code listener} with every new snapshot, in order; closing the handle stops it. */
  AutoCloseable onChange(Consumer<StoreSnapshot> listener);

  /** A store that never changes. */
  static StoreReader fixed(StoreSnapshot snapshot) {
    return new StoreReader() {
      @Override
      public StoreSnapshot snapshot() {
        return snapshot;
      }

      @Override
      public AutoCloseable onChange(Consumer<StoreSnapshot> listener) {
        return () -> {};
      }
    };
  }
}
