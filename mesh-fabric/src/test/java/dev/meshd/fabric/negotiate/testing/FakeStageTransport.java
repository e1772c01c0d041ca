package dev.meshd.fabric.negotiate.testing;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.fabric.negotiate.Acceptance;
import dev.meshd.fabric.negotiate.EndpointData;
import dev.meshd.fabric.negotiate.LinkContext;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.negotiate.TransportEndpoint;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A stage transport that does what the test scripts at each step: refuse the offer or the
 * acceptance with a reason, fail the probe with a reason, hang in the probe until interrupted
 * (or even ignore the interrupt for a while), or succeed with given figures. It records every
 * call, every responder it opened and released, and how many of its probe threads have ended, so
 * a test can check that nothing leaked. Thread-safe; configure before use.
 */
public final class FakeStageTransport implements StageTransport {

  /** What the probe does. */
  public enum ProbeBehaviour { SUCCEED, FAIL, HANG, HANG_IGNORING_INTERRUPTS }

  /** The figures a succeeding probe reports unless set otherwise. */
  public static final ProbeResult DEFAULT_RESULT =
      new ProbeResult(64L << 20, 1.25e9, Duration.ofNanos(85_000), Duration.ofMillis(60));

  private final String group;
  private final FabricClass fabricClass;
  private volatile ProbeFailure offerFailure;
  private volatile ProbeFailure acceptFailure;
  private volatile ProbeBehaviour probeBehaviour = ProbeBehaviour.SUCCEED;
  private volatile ProbeFailure probeFailure;
  private volatile ProbeResult result = DEFAULT_RESULT;
  private volatile Duration ignoreInterruptsFor = Duration.ZERO;
  private final AtomicInteger offers = new AtomicInteger();
  private final AtomicInteger accepts = new AtomicInteger();
  private final AtomicInteger probes = new AtomicInteger();
  private final AtomicInteger probesEnded = new AtomicInteger();
  private final List<Acceptance> responders = new CopyOnWriteArrayList<>();
  private final List<TransportEndpoint> probedAnswers = new CopyOnWriteArrayList<>();
  private final List<ProbeSpec> probedSpecs = new CopyOnWriteArrayList<>();

  private FakeStageTransport(String group, FabricClass fabricClass) {
    this.group = Objects.requireNonNull(group, "group");
    this.fabricClass = Objects.requireNonNull(fabricClass, "fabricClass");
  }

  /** A transport for {@code group} giving links of {@code fabricClass}; succeeds by default. */
  public static FakeStageTransport of(String group, FabricClass fabricClass) {
    return new FakeStageTransport(group, fabricClass);
  }

  public FakeStageTransport refuseOffer(FallbackReason reason, String detail) {
    offerFailure = new ProbeFailure(reason, detail);
    return this;
  }

  public FakeStageTransport refuseAccept(FallbackReason reason, String detail) {
    acceptFailure = new ProbeFailure(reason, detail);
    return this;
  }

  public FakeStageTransport failProbe(FallbackReason reason, String detail) {
    probeBehaviour = ProbeBehaviour.FAIL;
    probeFailure = new ProbeFailure(reason, detail);
    return this;
  }

  /** The probe blocks until its thread is interrupted (the negotiator's deadline). */
  public FakeStageTransport hangProbe() {
    probeBehaviour = ProbeBehaviour.HANG;
    return this;
  }

  /** The probe blocks and ignores interrupts for {@code duration}: a badly behaved transport. */
  public FakeStageTransport hangIgnoringInterrupts(Duration duration) {
    probeBehaviour = ProbeBehaviour.HANG_IGNORING_INTERRUPTS;
    ignoreInterruptsFor = duration;
    return this;
  }

  public FakeStageTransport succeedWith(ProbeResult value) {
    probeBehaviour = ProbeBehaviour.SUCCEED;
    result = value;
    return this;
  }

  @Override
  public String group() {
    return group;
  }

  @Override
  public TransportEndpoint offer(LinkContext link) throws ProbeFailure {
    offers.incrementAndGet();
    if (offerFailure != null) {
      throw offerFailure;
    }
    return new TransportEndpoint(fabricClass,
        EndpointData.ofUtf8("offer:" + group + "@" + link.local().nodeId()));
  }

  @Override
  public Acceptance accept(TransportEndpoint peerOffer, LinkContext link) throws ProbeFailure {
    accepts.incrementAndGet();
    if (acceptFailure != null) {
      throw acceptFailure;
    }
    Acceptance acceptance = Acceptance.of(new TransportEndpoint(fabricClass,
        EndpointData.ofUtf8("answer:" + group + "@" + link.local().nodeId())), () -> {});
    responders.add(acceptance);
    return acceptance;
  }

  @Override
  public ProbeResult probe(LinkContext link, TransportEndpoint peerAnswer, ProbeSpec spec)
      throws ProbeFailure, InterruptedException {
    probes.incrementAndGet();
    probedAnswers.add(peerAnswer);
    probedSpecs.add(spec);
    try {
      return switch (probeBehaviour) {
        case SUCCEED -> result;
        case FAIL -> throw probeFailure;
        case HANG -> {
          new CountDownLatch(1).await();
          throw new AssertionError("unreachable");
        }
        case HANG_IGNORING_INTERRUPTS -> {
          // A badly behaved transport: parks for the whole time, swallowing every interrupt.
          long until = System.nanoTime() + ignoreInterruptsFor.toNanos();
          for (long left = until - System.nanoTime(); left > 0;
              left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
            Thread.interrupted();
          }
          throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR, "woke up late");
        }
      };
    } finally {
      probesEnded.incrementAndGet();
    }
  }

  public int offers() {
    return offers.get();
  }

  public int accepts() {
    return accepts.get();
  }

  public int probes() {
    return probes.get();
  }

  /** Probe calls whose thread has returned or thrown (a cut probe included). */
  public int probesEnded() {
    return probesEnded.get();
  }

  /** Responders opened by {@link #accept}, and not yet released. */
  public long openResponders() {
    return responders.stream().filter(a -> !a.isClosed()).count();
  }

  public int respondersOpened() {
    return responders.size();
  }

  public List<TransportEndpoint> probedAnswers() {
    return List.copyOf(probedAnswers);
  }

  public List<ProbeSpec> probedSpecs() {
    return List.copyOf(probedSpecs);
  }
}
