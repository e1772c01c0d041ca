package dev.meshd.agent.router;

import dev.meshd.agent.store.StoreView;
import dev.meshd.router.route.RoutingTable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's {@link RoutingTable}, rebuilt from the agent's {@link StoreView} on every store
 * change (not on every request), so a policy, placement or drain applies to the next decision.
 * Thread-safe: readers get the latest immutable table.
 */
public final class RoutingTableFeed implements Supplier<RoutingTable>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RoutingTableFeed.class);

  private final AtomicReference<RoutingTable> current;
  private final AutoCloseable subscription;

  public RoutingTableFeed(StoreView view) {
    this.current = new AtomicReference<>();
    // Subscribe before reading the snapshot, so no change falls between the two; a change seen
    // by the listener first is newer than the snapshot and is kept.
    this.subscription = view.onChange(snapshot -> {
      RoutingTable next = RoutingTable.of(snapshot);
      RoutingTable previous = current.getAndSet(next);
      if (previous != null && !previous.drainedNodes().equals(next.drainedNodes())) {
        LOG.info("router: drained nodes now {} (store revision {})", next.drainedNodes(),
            next.revision());
      }
    });
    current.compareAndSet(null, RoutingTable.of(view.snapshot()));
  }

  @Override
  public RoutingTable get() {
    return current.get();
  }

  @Override
  public void close() {
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.debug("closing the store subscription failed: {}", e.toString());
    }
  }
}
