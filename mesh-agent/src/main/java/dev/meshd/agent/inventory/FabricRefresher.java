package dev.meshd.agent.inventory;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.NodeFabric;
import dev.meshd.core.fabric.QuicEndpoint;
import dev.meshd.fabric.discovery.FabricDiscovery;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the capability record's fabric part: discovers the node's interconnects right after
 * start, on its own thread so that a slow tool never delays the agent's start, then again every
 * {@link #INTERVAL}, and republishes the record only when the fabric part changed (a port went
 * down, a driver was loaded). Records are fetched by every peer on each change, so an unchanged
 * fabric costs the fleet nothing.
 *
 * <p>Runs on one daemon thread; {@link #close()} stops it. The discovery it is given bounds
 * itself in time ({@code CompositeFabricDiscovery}).
 */
public final class FabricRefresher implements AutoCloseable {

  /**
   * How often the fabric is discovered again. Interconnects change rarely; five minutes keeps
   * the cost (a directory walk, a tool run or two) near zero while an operator sees a change in
   * {@code list-nodes} within minutes. Not a config key: no one has needed another value yet.
   */
  public static final Duration INTERVAL = Duration.ofMinutes(5);

  /** The fabric part of a record before the first discovery has finished. */
  public static final NodeFabric PENDING =
      NodeFabric.of(FabricInventory.absent("fabric discovery has not finished yet"));

  private static final Logger LOG = LoggerFactory.getLogger(FabricRefresher.class);

  private final FabricDiscovery discovery;
  private final Supplier<Optional<QuicEndpoint>> quicEndpoint;
  private final RecordUpdater updater;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("meshd-fabric-refresh").daemon().factory());

  /**
   * @param discovery the node's sources, bounded in time
   * @param quicEndpoint this agent's QUIC endpoint, asked at every refresh; empty when it has
   *     none to publish
   * @param updater changes this node's record
   */
  public FabricRefresher(FabricDiscovery discovery, Supplier<Optional<QuicEndpoint>> quicEndpoint,
      RecordUpdater updater) {
    this.discovery = Objects.requireNonNull(discovery, "discovery");
    this.quicEndpoint = Objects.requireNonNull(quicEndpoint, "quicEndpoint");
    this.updater = Objects.requireNonNull(updater, "updater");
  }

  /** Discovers now, off the caller's thread, and then every {@code interval}. */
  public void start(Duration interval) {
    long ms = interval.toMillis();
    if (ms <= 0) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: >= 1ms)");
    }
    timer.scheduleWithFixedDelay(this::refreshOnce, 0, ms, TimeUnit.MILLISECONDS);
  }

  /** One discovery and, when the fabric changed, one republication; public for tests. */
  public void refreshOnce() {
    try {
      FabricInventory inventory = discovery.discover();
      if (Thread.currentThread().isInterrupted()) {
        // Stopping: the sources were cut short, and "interrupted" is not news for the fleet.
        return;
      }
      NodeFabric fabric = new NodeFabric(inventory, quicEndpoint.get());
      AtomicBoolean changed = new AtomicBoolean();
      updater.update(record -> {
        if (record.fabric().equals(fabric)) {
          return record;
        }
        changed.set(true);
        return record.withFabric(fabric);
      });
      if (changed.get()) {
        LOG.info("fabric: {}", summary(fabric));
      } else {
        LOG.debug("fabric: unchanged");
      }
    } catch (RuntimeException e) {
      LOG.warn("fabric: discovery failed: {}", e.toString());
    }
  }

  /** {@code offers RDMA_IB,QUIC; 2 RDMA port(s), ...; not found: ...}, for the log. */
  static String summary(NodeFabric fabric) {
    FabricInventory inventory = fabric.inventory();
    String classes = fabric.fabricClasses().stream().map(FabricClass::name)
        .collect(Collectors.joining(","));
    String text = (classes.isEmpty() ? "offers no fabric class" : "offers " + classes)
        + "; " + inventory.rdmaPorts().size() + " RDMA port(s), "
        + inventory.gpuPeerLinks().size() + " GPU peer link(s), "
        + inventory.libfabricProviders().size() + " libfabric provider(s), QUIC endpoint "
        + fabric.quicEndpoint().map(q -> q.host() + ":" + q.port()).orElse("none");
    return inventory.reasons().isEmpty()
        ? text
        : text + "; " + String.join("; ", inventory.reasons());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
