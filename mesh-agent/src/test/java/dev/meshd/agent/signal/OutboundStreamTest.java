package dev.meshd.agent.signal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.signal.ModelLoad;
import dev.meshd.core.signal.RuntimeSignal;
import dev.meshd.proto.v1.SignalBatch;
import dev.meshd.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Coalescing, heartbeats and flow control of one subscriber's stream, on manual time. */
class OutboundStreamTest {

  private static final Duration MIN_INTERVAL = Duration.ofMillis(50);
  private static final Duration HEARTBEAT = Duration.ofSeconds(1);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
  private final ManualSignalTimer timer = new ManualSignalTimer();
  private final FakeSink sink = new FakeSink();
  private final AtomicReference<OutboundStream.Snapshot> snapshot = new AtomicReference<>();
  private OutboundStream stream;

  @BeforeEach
  void setUp() {
    snapshot.set(new OutboundStream.Snapshot(List.of(signal(0, clock.instant())), 0));
    stream = new OutboundStream("g1", sink, snapshot::get, timer, clock, MIN_INTERVAL,
        HEARTBEAT);
  }

  @Test
  void theFirstBatchLeavesAtOnceWithTheSendersAgeOfEachSignal() {
    clock.advance(Duration.ofMillis(120));
    stream.start();

    assertThat(sink.sent).hasSize(1);
    SignalBatch first = sink.sent.getFirst();
    assertThat(first.getNodeId()).isEqualTo("g1");
    assertThat(first.getSequence()).isEqualTo(1);
    assertThat(first.getHeartbeat()).isFalse();
    assertThat(first.getRuntimes(0).getAgeMicros()).isEqualTo(120_000);
    assertThat(first.getRuntimes(0).getModels(0).getQueueDepth()).isZero();
  }

  @Test
  void changesWithinTheMinimumIntervalAreCoalescedIntoOneBatchWithTheLatestState() {
    stream.start();
    for (int queue = 1; queue <= 10; queue++) {
      timer.advance(Duration.ofMillis(2));
      change(queue);
    }
    assertThat(sink.sent).hasSize(1); // the first; the rest wait for the interval

    timer.advance(Duration.ofMillis(30)); // 50 ms after the first send

    assertThat(sink.sent).hasSize(2);
    SignalBatch coalesced = sink.sent.get(1);
    assertThat(coalesced.getSequence()).isEqualTo(2);
    assertThat(coalesced.getHeartbeat()).isFalse();
    assertThat(coalesced.getRuntimes(0).getModels(0).getQueueDepth()).isEqualTo(10);
  }

  @Test
  void aChangeAfterTheMinimumIntervalLeavesAtOnce() {
    stream.start();
    timer.advance(Duration.ofMillis(60));

    change(3);

    assertThat(sink.sent).hasSize(2);
    assertThat(sink.sent.get(1).getRuntimes(0).getModels(0).getQueueDepth()).isEqualTo(3);
  }

  @Test
  void withoutChangesAHeartbeatRepeatsTheContentWithRefreshedAges() {
    stream.start();
    clock.advance(Duration.ofMillis(999));
    timer.advance(Duration.ofMillis(999));
    assertThat(sink.sent).hasSize(1);

    clock.advance(Duration.ofMillis(1));
    timer.advance(Duration.ofMillis(1));

    assertThat(sink.sent).hasSize(2);
    SignalBatch heartbeat = sink.sent.get(1);
    assertThat(heartbeat.getHeartbeat()).isTrue();
    assertThat(heartbeat.getRuntimes(0).getAgeMicros()).isEqualTo(1_000_000);
    timer.advance(HEARTBEAT.multipliedBy(3));
    assertThat(sink.sent).hasSize(5);
  }

  @Test
  void aChangePostponesTheNextHeartbeat() {
    stream.start();
    timer.advance(Duration.ofMillis(600));
    change(1);
    timer.advance(Duration.ofMillis(600)); // 1.2 s after the first, 0.6 s after the change
    assertThat(sink.sent).hasSize(2);
    timer.advance(Duration.ofMillis(400));
    assertThat(sink.sent).hasSize(3);
    assertThat(sink.sent.get(2).getHeartbeat()).isTrue();
  }

  @Test
  void aSlowSubscriberBuffersNothingAndGetsOnlyTheLatestStateWhenReady() {
    stream.start();
    sink.ready = false;
    for (int queue = 1; queue <= 100; queue++) {
      timer.advance(Duration.ofMillis(60));
      change(queue);
    }
    timer.advance(HEARTBEAT.multipliedBy(5));
    assertThat(sink.sent).hasSize(1);

    sink.ready = true;
    stream.onReady();

    assertThat(sink.sent).hasSize(2);
    assertThat(sink.sent.get(1).getRuntimes(0).getModels(0).getQueueDepth()).isEqualTo(100);
    assertThat(sink.sent.get(1).getSequence()).isEqualTo(2);
  }

  @Test
  void aClosedStreamSendsNothingAndLeavesNoTimerBehind() {
    stream.start();
    stream.close();
    change(5);
    timer.advance(HEARTBEAT.multipliedBy(3));

    assertThat(sink.sent).hasSize(1);
    assertThat(timer.pending()).isZero();
  }

  @Test
  void completeEndsTheStreamOnce() {
    stream.start();
    stream.complete();
    stream.complete();

    assertThat(sink.completed).isEqualTo(1);
    assertThat(stream.isClosed()).isTrue();
  }

  private void change(int queue) {
    OutboundStream.Snapshot previous = snapshot.get();
    snapshot.set(new OutboundStream.Snapshot(List.of(signal(queue, clock.instant())),
        previous.version() + 1));
    stream.onChange();
  }

  static RuntimeSignal signal(double queue, Instant observedAt) {
    return RuntimeSignal.healthy(RuntimeKind.VLLM, "http://127.0.0.1:8000",
        List.of(new ModelLoad("m", queue, 1, OptionalDouble.of(0.5))), observedAt);
  }

  private static final class FakeSink implements OutboundStream.Sink {
    final List<SignalBatch> sent = new CopyOnWriteArrayList<>();
    volatile boolean ready = true;
    volatile int completed;

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void send(SignalBatch batch) {
      sent.add(batch);
    }

    @Override
    public void complete() {
      completed++;
    }
  }
}
