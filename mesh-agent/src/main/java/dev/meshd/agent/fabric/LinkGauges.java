package dev.meshd.agent.fabric;

import dev.meshd.core.policy.LinkStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code meshd_fabric_link_bandwidth_bytes_per_second} and {@code meshd_fabric_link_rtt_seconds}
 * for each negotiated placement link, labelled {@code placement}, {@code from_stage}, {@code
 * to_stage}, {@code transport}. The writer of placement links (the agent hosting a link's
 * upstream stage) calls {@link #update} after each negotiation it writes, {@link #remove} when it
 * stops owning a link, and {@link #retainPlacements} when placements are deleted; nothing else
 * registers these gauges (an operator's {@code fabric probe} is not a placement link). A link
 * that is not usable (FAILED, or never negotiated) has no row, so a dead link never shows a frozen
 * bandwidth.
 *
 * <p>Thread-safe: updates are serialised by this object's lock; each replaces every row at once.
 */
public final class LinkGauges {

  /** One link's key: placement and stages. */
  private record Key(String placement, int fromStage, int toStage) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = placement.compareTo(o.placement);
      c = c != 0 ? c : Integer.compare(fromStage, o.fromStage);
      return c != 0 ? c : Integer.compare(toStage, o.toStage);
    }
  }

  private final MultiGauge bandwidth;
  private final MultiGauge rtt;
  private final Map<Key, LinkStatus> rows = new TreeMap<>(); // guarded by this

  LinkGauges(MeterRegistry registry) {
    this.bandwidth = MultiGauge.builder("meshd.fabric.link.bandwidth.bytes.per.second")
        .description("Bandwidth the payload probe measured on a placement's stage link")
        .register(registry);
    this.rtt = MultiGauge.builder("meshd.fabric.link.rtt")
        .baseUnit("seconds")
        .description("Round-trip time the payload probe measured on a placement's stage link")
        .register(registry);
  }

  /** Sets (or, when {@code status} is not usable, removes) the gauges of one placement link. */
  public synchronized void update(String placement, int fromStage, int toStage,
      LinkStatus status) {
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(status, "status");
    Key key = new Key(placement, fromStage, toStage);
    if (status.transport().isEmpty()) {
      rows.remove(key);
    } else {
      rows.put(key, status);
    }
    publish();
  }

  /** Removes the gauges of one placement link. */
  public synchronized void remove(String placement, int fromStage, int toStage) {
    if (rows.remove(new Key(placement, fromStage, toStage)) != null) {
      publish();
    }
  }

  /** Removes the gauges of every placement not in {@code placements}. */
  public synchronized void retainPlacements(Set<String> placements) {
    if (rows.keySet().removeIf(key -> !placements.contains(key.placement()))) {
      publish();
    }
  }

  private void publish() {
    List<MultiGauge.Row<?>> bandwidthRows = new ArrayList<>(rows.size());
    List<MultiGauge.Row<?>> rttRows = new ArrayList<>(rows.size());
    rows.forEach((key, status) -> {
      Tags tags = Tags.of(
          "placement", key.placement(),
          "from_stage", Integer.toString(key.fromStage()),
          "to_stage", Integer.toString(key.toStage()),
          "transport", status.transport());
      bandwidthRows.add(MultiGauge.Row.of(tags, status.bandwidthBytesPerSecond()));
      rttRows.add(MultiGauge.Row.of(tags, status.rttMicros() / 1e6));
    });
    bandwidth.register(bandwidthRows, true);
    rtt.register(rttRows, true);
  }
}
