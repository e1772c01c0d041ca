package dev.meshd.router.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import dev.meshd.core.capability.RuntimeInfo;
import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.signal.AgedGpuSignal;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.core.signal.GpuSignal;
import dev.meshd.core.signal.SignalView;
import dev.meshd.router.Candidate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Where a candidate's GPU figures come from: the node's GPU readings from the signal path while
 * they are fresh under the router's staleness bound, else its capability record.
 */
class CandidateBuilderTest {

  private static final String MODEL = "m";
  private static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");
  private static final long GB = 1_000_000_000L;
  private static final Duration STALE_AFTER = Duration.ofSeconds(2);
  private static final Duration READ_EVERY = Duration.ofSeconds(5);

  private final Map<String, List<AgedGpuSignal>> readings = new ConcurrentHashMap<>();
  private final SignalView view = new SignalView() {
    @Override
    public List<AgedSignal> signals(String nodeId) {
      return List.of();
    }

    @Override
    public List<AgedGpuSignal> gpus(String nodeId) {
      return readings.getOrDefault(nodeId, List.of());
    }
  };
  private final CandidateBuilder builder =
      new CandidateBuilder(view, DispatchLedger.system(), STALE_AFTER);
  // The record, as gossip last republished it: 10 of 80 GB used, 10 % busy.
  private final List<FleetMember> members = List.of(member("n1"));

  @Test
  void aFreshReadingIsPreferredToTheRecord() {
    reading("n1", 60 * GB, 0.90, Duration.ofSeconds(1));

    Candidate c = only();

    assertThat(c.vramFreeRatio()).isEqualTo(0.25);
    assertThat(c.gpuUtilization()).isEqualTo(0.90);
  }

  @Test
  void aReadingAsOldAsAHealthySendersIsStillFresh() {
    // Read every 5 s, confirmed by a heartbeat: up to 6 s old.
    reading("n1", 60 * GB, 0.90, Duration.ofSeconds(6));

    assertThat(only().gpuUtilization()).isEqualTo(0.90);
  }

  @Test
  void aStaleReadingFallsBackToTheRecord() {
    // 2 s past the next reading's due time (5 s): stale.
    reading("n1", 60 * GB, 0.90, Duration.ofMillis(7_001));

    Candidate c = only();

    assertThat(c.vramFreeRatio()).isEqualTo(1 - 10.0 / 80);
    assertThat(c.gpuUtilization()).isEqualTo(0.10);
  }

  @Test
  void withoutAReadingTheRecordStands() {
    Candidate c = only();

    assertThat(c.vramFreeRatio()).isEqualTo(1 - 10.0 / 80);
    assertThat(c.gpuUtilization()).isEqualTo(0.10);
  }

  @Test
  void aBuildSaysHowLongItsGpuFiguresHold() {
    assertThat(builder.buildTimed(MODEL, RoutingTable.EMPTY, members).gpuFiguresFor())
        .isEmpty();

    reading("n1", 60 * GB, 0.90, Duration.ofSeconds(1));

    // 2 s + 5 s - 1 s
    assertThat(builder.buildTimed(MODEL, RoutingTable.EMPTY, members).gpuFiguresFor())
        .contains(Duration.ofSeconds(6));
  }

  private Candidate only() {
    List<Candidate> built = builder.build(MODEL, RoutingTable.EMPTY, members);
    assertThat(built).hasSize(1);
    return built.getFirst();
  }

  private void reading(String node, long usedBytes, double utilization, Duration age) {
    readings.put(node, List.of(new AgedGpuSignal(new GpuSignal(0, "GPU-" + node, usedBytes,
        80 * GB, utilization, true, READ_EVERY, T0), age)));
  }

  static FleetMember member(String id) {
    CapabilityRecord record = new CapabilityRecord(CapabilityRecord.SCHEMA_VERSION, id,
        "host-" + id, "z1", "r1", Map.of(), Set.of("gpu"), "test", 1, id + ":7070", "", "",
        List.of(new GpuInfo(0, "GPU-" + id, "H100", 80 * GB, 10 * GB, 0.10, "", true,
            GpuSource.NVML)),
        List.of(new RuntimeInfo(RuntimeKind.VLLM, "http://" + id + ":8000", List.of(MODEL))));
    return new FleetMember(record, MemberState.ALIVE, T0, T0, T0);
  }
}
