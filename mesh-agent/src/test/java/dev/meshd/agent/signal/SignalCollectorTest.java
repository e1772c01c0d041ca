package dev.meshd.agent.signal;

import static dev.meshd.agent.signal.OutboundStreamTest.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshd.agent.testing.FakeFleet;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.signal.AgedGpuSignal;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.core.signal.GpuSignal;
import dev.meshd.proto.v1.SignalBatch;
import dev.meshd.proto.v1.SignalServiceGrpc;
import dev.meshd.proto.v1.WatchSignalsRequest;
import dev.meshd.testkit.ManualClock;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A router's collector against senders on in-process gRPC. The receiver's time is manual, so
 * ages are exact: what the sender reported plus what the test advanced.
 */
class SignalCollectorTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final String name = "g1-" + System.nanoTime();
  private final ManualClock senderClock = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
  private final ManualSignalTimer routerTime = new ManualSignalTimer();
  private final FakeFleet fleet = new FakeFleet();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private FakeSignalSource source;
  private final GpuReadings gpus = new GpuReadings();
  private SignalPublisher publisher;
  private Server server;
  private SignalCollector collector;

  @BeforeEach
  void setUp() throws IOException {
    // Observed 300 ms before the sender sends: the sender reports that age.
    source = new FakeSignalSource(
        List.of(signal(2, senderClock.instant().minusMillis(300))));
    server = startSender(name);
    collector = SignalCollector.builder()
        .selfId("router")
        .fleet(fleet)
        .local(new LocalSignalView("router", new FakeSignalSource(List.of()), new GpuReadings(),
            Clock.systemUTC()))
        .channels(address -> channels.computeIfAbsent(address,
            a -> InProcessChannelBuilder.forName(a).directExecutor().build()))
        .heartbeat(Duration.ofSeconds(10))
        .timer(routerTime)
        .clock(Clock.systemUTC())
        .meterRegistry(registry)
        .build();
    toClose.add(collector);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    channels.values().forEach(ManagedChannel::shutdownNow);
  }

  @Test
  void aSignalIsAgedBySenderReportedAgePlusTimeSinceReceiptOnTheReceiversClock() {
    fleet.put(FakeFleet.record("g1", name, true), MemberState.ALIVE);
    collector.start();

    await().atMost(WAIT).until(() -> !collector.signals("g1").isEmpty());
    AgedSignal received = collector.signals("g1").getFirst();
    assertThat(received.age()).isEqualTo(Duration.ofMillis(300));
    assertThat(received.signal().load("m").orElseThrow().queueDepth()).isEqualTo(2);

    routerTime.advance(Duration.ofMillis(700));

    assertThat(collector.signals("g1").getFirst().age()).isEqualTo(Duration.ofSeconds(1));
    assertThat(registry.get("meshd.signal.batches.received").counter().count()).isEqualTo(1);
    assertThat(registry.get("meshd.router.signal.age").timer().max(TimeUnit.MILLISECONDS))
        .isEqualTo(300);
    assertThat(registry.get("meshd.signal.streams").tag("direction", "in").gauge().value())
        .isEqualTo(1);
  }

  @Test
  void aChangeOnTheSenderReachesTheRouter() {
    fleet.put(FakeFleet.record("g1", name, true), MemberState.ALIVE);
    collector.start();
    await().atMost(WAIT).until(() -> !collector.signals("g1").isEmpty());

    source.set(List.of(signal(7, senderClock.instant())));

    await().atMost(WAIT).until(() ->
        collector.signals("g1").getFirst().signal().load("m").orElseThrow().queueDepth() == 7);
    assertThat(collector.signals("g1").getFirst().age()).isEqualTo(Duration.ZERO);
  }

  @Test
  void aGpuReadingReachesTheRouterAgedByTheSendersReportPlusTimeSinceReceipt() {
    // Read 400 ms before the stream opens, by an agent that reads every 5 s.
    gpus.accept(List.of(new GpuSignal(0, "GPU-0", 30_000_000_000L, 80_000_000_000L, 0.75, true,
        Duration.ofSeconds(5), senderClock.instant().minusMillis(400))));
    fleet.put(FakeFleet.record("g1", name, true), MemberState.ALIVE);
    collector.start();

    await().atMost(WAIT).until(() -> !collector.gpus("g1").isEmpty());
    AgedGpuSignal received = collector.gpus("g1").getFirst();
    assertThat(received.age()).isEqualTo(Duration.ofMillis(400));
    assertThat(received.signal().uuid()).isEqualTo("GPU-0");
    assertThat(received.signal().vramUsedBytes()).isEqualTo(30_000_000_000L);
    assertThat(received.signal().utilization()).isEqualTo(0.75);
    assertThat(received.signal().refreshInterval()).isEqualTo(Duration.ofSeconds(5));

    routerTime.advance(Duration.ofMillis(600));
    assertThat(collector.gpus("g1").getFirst().age()).isEqualTo(Duration.ofSeconds(1));

    gpus.accept(List.of(new GpuSignal(0, "GPU-0", 30_000_000_000L, 80_000_000_000L, 0.10, true,
        Duration.ofSeconds(5), senderClock.instant())));
    await().atMost(WAIT).until(
        () -> collector.gpus("g1").getFirst().signal().utilization() == 0.10);
    assertThat(collector.gpus("g1").getFirst().age()).isEqualTo(Duration.ZERO);
    assertThat(collector.gpus("g2")).isEmpty();
  }

  @Test
  void theVersionChangesWithEveryBatchAndEveryNodeForgotten() {
    long before = collector.version();
    fleet.put(FakeFleet.record("g1", name, true), MemberState.ALIVE);
    collector.start();
    await().atMost(WAIT).until(() -> !collector.signals("g1").isEmpty());
    long received = collector.version();
    assertThat(received).isGreaterThan(before);

    source.set(List.of(signal(5, senderClock.instant())));
    await().atMost(WAIT).until(() -> collector.version() > received);

    long changed = collector.version();
    fleet.put(FakeFleet.record("g1", name, true), MemberState.LEFT);
    await().atMost(WAIT).until(() -> collector.signals("g1").isEmpty());
    assertThat(collector.version()).isGreaterThan(changed);
  }

  @Test
  void theLocalViewsVersionChangesWithEveryObservation() {
    FakeSignalSource own = new FakeSignalSource(List.of());
    LocalSignalView local =
        new LocalSignalView("router", own, new GpuReadings(), Clock.systemUTC());
    long before = local.version();

    own.set(List.of(signal(1, senderClock.instant())));

    assertThat(local.version()).isGreaterThan(before);
  }

  @Test
  void theLocalViewAgesItsOwnGpuReadingsAndItsVersionChangesWithEachOne() {
    GpuReadings own = new GpuReadings();
    LocalSignalView local = new LocalSignalView("router", new FakeSignalSource(List.of()), own,
        senderClock);
    long before = local.version();

    own.accept(List.of(new GpuSignal(0, "GPU-0", 1, 2, 0.5, true, Duration.ofSeconds(5),
        senderClock.instant())));
    senderClock.advance(Duration.ofMillis(250));

    assertThat(local.version()).isGreaterThan(before);
    assertThat(local.gpus("router").getFirst().age()).isEqualTo(Duration.ofMillis(250));
    assertThat(local.gpus("g1")).isEmpty();
  }

  @Test
  void aMemberThatLeavesLosesItsStreamAndItsSignals() {
    fleet.put(FakeFleet.record("g1", name, true), MemberState.ALIVE);
    collector.start();
    await().atMost(WAIT).until(() -> publisher.streamCount() == 1
        && !collector.signals("g1").isEmpty());

    fleet.put(FakeFleet.record("g1", name, true), MemberState.LEFT);

    await().atMost(WAIT).until(() -> publisher.streamCount() == 0);
    assertThat(collector.signals("g1")).isEmpty();
    assertThat(collector.streamingFrom()).isEmpty();
  }

  @Test
  void aDeadMembersStreamClosesButItsLastSignalsKeepAgeingUntilItIsRemoved() {
    fleet.put(FakeFleet.record("g1", name, true), MemberState.ALIVE);
    collector.start();
    await().atMost(WAIT).until(() -> !collector.signals("g1").isEmpty());

    fleet.put(FakeFleet.record("g1", name, true), MemberState.DEAD);
    await().atMost(WAIT).until(() -> publisher.streamCount() == 0);
    routerTime.advance(Duration.ofSeconds(5));

    assertThat(collector.signals("g1").getFirst().age()).isEqualTo(Duration.ofMillis(5_300));
    fleet.remove("g1");
    assertThat(collector.signals("g1")).isEmpty();
  }

  @Test
  void noStreamToItselfNorToMembersWithoutRuntimes() {
    fleet.put(FakeFleet.record("router", "router-address", true), MemberState.ALIVE);
    fleet.put(FakeFleet.record("g2", name, false), MemberState.ALIVE);
    collector.start();

    assertThat(collector.streamingFrom()).isEmpty();
    assertThat(publisher.streamCount()).isZero();
  }

  @Test
  void aStreamThatFailsIsReopenedAfterTheBackoff() throws IOException, InterruptedException {
    fleet.put(FakeFleet.record("g1", name, true), MemberState.ALIVE);
    collector.start();
    await().atMost(WAIT).until(() -> !collector.signals("g1").isEmpty());

    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> routerTime.pending() >= 2); // watchdog and the retry
    source = new FakeSignalSource(List.of(signal(9, senderClock.instant())));
    server = startSender(name);
    assertThat(collector.signals("g1").getFirst().signal().load("m").orElseThrow().queueDepth())
        .isEqualTo(2); // the last signal stays while the stream is down

    routerTime.advance(SignalCollector.MIN_BACKOFF);

    await().atMost(WAIT).until(() ->
        collector.signals("g1").getFirst().signal().load("m").orElseThrow().queueDepth() == 9);
  }

  @Test
  void aSilentStreamIsCancelledAndReopened() throws Exception {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    AtomicInteger calls = new AtomicInteger();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new SignalServiceGrpc.SignalServiceImplBase() {
          @Override
          public void watchSignals(WatchSignalsRequest request,
              StreamObserver<SignalBatch> response) {
            calls.incrementAndGet(); // and never answer
          }
        })
        .build().start();
    fleet.put(FakeFleet.record("g1", name, true), MemberState.ALIVE);
    collector.start();
    await().atMost(WAIT).until(() -> calls.get() == 1);

    routerTime.advance(Duration.ofSeconds(10).multipliedBy(SignalCollector.SILENCE_HEARTBEATS));
    routerTime.advance(Duration.ofSeconds(10)); // the watchdog's next round sees the silence
    await().atMost(WAIT).until(() -> routerTime.pending() >= 2);
    routerTime.advance(SignalCollector.MIN_BACKOFF);

    await().atMost(WAIT).until(() -> calls.get() == 2);
  }

  @Test
  void backoffDoublesUpToItsCeiling() {
    assertThat(SignalCollector.backoff(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(SignalCollector.backoff(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(SignalCollector.backoff(4)).isEqualTo(Duration.ofMillis(800));
    assertThat(SignalCollector.backoff(50)).isEqualTo(SignalCollector.MAX_BACKOFF);
  }

  @Test
  void theBuilderNamesWhatIsMissing() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SignalCollector.builder()
            .selfId("r").build())
        .hasMessageContaining("fleet").hasMessageContaining("timer");
  }

  private Server startSender(String serverName) throws IOException {
    SignalTimer senderTimer = SignalTimer.system("test-sender");
    toClose.add(senderTimer);
    publisher = new SignalPublisher("g1", source, gpus, senderTimer, senderClock,
        SignalPublisher.DEFAULT_MIN_INTERVAL, new SimpleMeterRegistry());
    toClose.add(publisher);
    return InProcessServerBuilder.forName(serverName).directExecutor()
        .addService(new SignalGrpcService(publisher, Duration.ofSeconds(1)))
        .build().start();
  }
}
