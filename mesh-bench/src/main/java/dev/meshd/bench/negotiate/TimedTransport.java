package dev.meshd.bench.negotiate;

import dev.meshd.fabric.negotiate.Acceptance;
import dev.meshd.fabric.negotiate.LinkContext;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.negotiate.TransportEndpoint;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link StageTransport} that passes every call to the real one and notes when it started
 * and ended ({@link System#nanoTime()}), so the bench can tell where a negotiation spent its
 * time (the probe's share, the moment a fallback starts the next try) without touching the
 * negotiator. Costs two clock reads per call. Thread-safe: the log is synchronized.
 */
public final class TimedTransport implements StageTransport {

  /** Which step of {@link StageTransport}. */
  public enum Step { OFFER, ACCEPT, PROBE }

  /** One call: which end, group and step, when, and how it ended ({@code ok} or the reason). */
  public record Call(String end, String group, Step step, long startNanos, long endNanos,
      String outcome) {
    public double millis() {
      return (endNanos - startNanos) / 1e6;
    }
  }

  /** The calls of one or more transports, in the order they ended. */
  public static final class Log {
    private final List<Call> calls = new ArrayList<>();

    synchronized void add(Call call) {
      calls.add(call);
    }

    /** Every call noted since the last drain; the log is then empty. */
    public synchronized List<Call> drain() {
      List<Call> copy = List.copyOf(calls);
      calls.clear();
      return copy;
    }

    /** The first of {@code calls} matching end, group and step. */
    public static Optional<Call> find(List<Call> calls, String end, String group, Step step) {
      return calls.stream()
          .filter(c -> c.end().equals(end) && c.group().equals(group) && c.step() == step)
          .findFirst();
    }
  }

  private final StageTransport delegate;
  private final String end;
  private final Log log;

  /**
   * @param end {@code upstream} or {@code downstream}, for the log
   */
  public TimedTransport(StageTransport delegate, String end, Log log) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.end = Objects.requireNonNull(end, "end");
    this.log = Objects.requireNonNull(log, "log");
  }

  @Override
  public String group() {
    return delegate.group();
  }

  @Override
  public TransportEndpoint offer(LinkContext link) throws ProbeFailure, InterruptedException {
    return timed(Step.OFFER, () -> delegate.offer(link));
  }

  @Override
  public Acceptance accept(TransportEndpoint peerOffer, LinkContext link)
      throws ProbeFailure, InterruptedException {
    return timed(Step.ACCEPT, () -> delegate.accept(peerOffer, link));
  }

  @Override
  public ProbeResult probe(LinkContext link, TransportEndpoint peerAnswer, ProbeSpec spec)
      throws ProbeFailure, InterruptedException {
    return timed(Step.PROBE, () -> delegate.probe(link, peerAnswer, spec));
  }

  @FunctionalInterface
  private interface TransportCall<T> {
    T run() throws ProbeFailure, InterruptedException;
  }

  private <T> T timed(Step step, TransportCall<T> call) throws ProbeFailure, InterruptedException {
    long start = System.nanoTime();
    String outcome = "ok";
    try {
      return call.run();
    } catch (ProbeFailure e) {
      outcome = e.reason().label();
      throw e;
    } catch (InterruptedException e) {
      outcome = "interrupted";
      throw e;
    } catch (RuntimeException e) {
      outcome = e.toString();
      throw e;
    } finally {
      log.add(new Call(end, delegate.group(), step, start, System.nanoTime(), outcome));
    }
  }
}
