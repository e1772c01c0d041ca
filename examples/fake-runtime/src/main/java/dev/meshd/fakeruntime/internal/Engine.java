package dev.meshd.fakeruntime.internal;

import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The fake engine's scheduler: a fixed number of generation slots shared by every served model
 * and a FIFO queue of requests waiting for one. What {@code /metrics} reports is read from here,
 * so the metrics are the real queue, not a made-up number.
 *
 * <p>Token counters are kept per model, as vLLM labels them: the generated-token counter grows
 * with every token a running request produces, at the moment it is produced, so a scraper that
 * divides its growth by time and running requests gets the configured generation rate back. The
 * inter-token latency histogram observes, at each token but a request's first, the time since
 * that request's previous token by the injected clock, so its {@code _count / _sum} is the rate
 * at which requests really got their tokens.
 *
 * <p>Thread-safe: {@link #lock} guards the queue and the running set; the counters are atomic
 * and the histogram thread-safe. A freed slot is handed to the head of the queue inside {@link
 * #release}, so order is strictly first come, first served.
 */
public final class Engine {

  /** The state of one request in the engine. */
  public enum State { WAITING, RUNNING, DONE }

  /** Thrown by {@link #admit} when the queue is full. */
  public static final class QueueFullException extends Exception {
    QueueFullException(int waiting) {
      super("the queue is full (" + waiting + " requests waiting)");
    }
  }

  /** One request's hold on the engine. Close it (or {@link #release} it) exactly once. */
  public final class Ticket implements AutoCloseable {
    private final String model;
    private final int promptTokens;
    private final TokenCounters counters;
    private final AtomicInteger generated = new AtomicInteger();
    private State state = State.WAITING; // guarded by lock
    private long lastTokenNanos; // only the thread generating this request's tokens uses it

    private Ticket(String model, int promptTokens) {
      this.model = model;
      this.promptTokens = promptTokens;
      this.counters = countersOf(model);
    }

    /** Blocks until this request holds a slot. */
    public void awaitSlot() throws InterruptedException {
      lock.lock();
      try {
        while (state == State.WAITING) {
          slotGranted.await();
        }
      } finally {
        lock.unlock();
      }
    }

    /**
     * Records one generated token, produced now: it now holds KV cache too. Called by the one
     * thread that generates this request's tokens.
     */
    public void onToken() {
      long now = nanoTime.getAsLong();
      if (generated.getAndIncrement() > 0) {
        interTokenLatencies.observe(model, (now - lastTokenNanos) / 1e9);
      }
      lastTokenNanos = now;
      counters.generation.incrementAndGet();
    }

    public State state() {
      lock.lock();
      try {
        return state;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      release(this);
    }
  }

  /** Load of one model: requests of that model waiting and running. */
  public record ModelLoad(int waiting, int running) {}

  /** Tokens of one model since start: prompt tokens admitted, tokens generated. */
  public record TokenCounts(long prompt, long generation) {}

  /**
   * What {@code /metrics} shows, taken at one moment; {@code tokensByModel} has the same keys as
   * {@code byModel}, {@code interTokenLatencies} a series per model that has been served or is
   * configured.
   */
  public record Snapshot(Map<String, ModelLoad> byModel, long heldTokens, double kvCacheUsage,
      Map<String, TokenCounts> tokensByModel, HistogramSnapshot interTokenLatencies) {}

  /** The running counters of one model. */
  private static final class TokenCounters {
    final AtomicLong prompt = new AtomicLong();
    final AtomicLong generation = new AtomicLong();
  }

  private final int slots;
  private final int maxQueue;
  private final long kvCapacityTokens;
  private final List<String> models;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition slotGranted = lock.newCondition();
  private final ArrayDeque<Ticket> waiting = new ArrayDeque<>(); // guarded by lock
  private final Set<Ticket> running = new LinkedHashSet<>(); // guarded by lock
  private final Map<String, TokenCounters> tokens = new ConcurrentHashMap<>();
  private final InterTokenLatencies interTokenLatencies;
  private final LongSupplier nanoTime;

  public Engine(List<String> models, int slots, int maxQueue, long kvCapacityTokens) {
    this(models, slots, maxQueue, kvCapacityTokens, System::nanoTime);
  }

  /** As above, with the clock that times tokens ({@link System#nanoTime} in the runtime). */
  public Engine(List<String> models, int slots, int maxQueue, long kvCapacityTokens,
      LongSupplier nanoTime) {
    this.models = List.copyOf(models);
    this.slots = slots;
    this.maxQueue = maxQueue;
    this.kvCapacityTokens = kvCapacityTokens;
    this.interTokenLatencies = new InterTokenLatencies(this.models);
    this.nanoTime = nanoTime;
  }

  /**
   * Takes a slot if one is free, else queues the request.
   *
   * @throws QueueFullException when no slot is free and {@code maxQueue} requests wait already
   */
  public Ticket admit(String model, int promptTokenCount) throws QueueFullException {
    Ticket ticket = new Ticket(model, promptTokenCount);
    lock.lock();
    try {
      if (running.size() < slots) {
        ticket.state = State.RUNNING;
        running.add(ticket);
      } else if (waiting.size() >= maxQueue) {
        throw new QueueFullException(waiting.size());
      } else {
        waiting.addLast(ticket);
      }
    } finally {
      lock.unlock();
    }
    ticket.counters.prompt.addAndGet(promptTokenCount);
    return ticket;
  }

  /** Ends a request, waiting or running; a freed slot goes to the head of the queue. */
  public void release(Ticket ticket) {
    lock.lock();
    try {
      if (ticket.state == State.WAITING) {
        waiting.remove(ticket);
      } else if (ticket.state == State.RUNNING) {
        running.remove(ticket);
        Ticket next = waiting.pollFirst();
        if (next != null) {
          next.state = State.RUNNING;
          running.add(next);
          slotGranted.signalAll();
        }
      }
      ticket.state = State.DONE;
    } finally {
      lock.unlock();
    }
  }

  public Snapshot snapshot() {
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (String model : models) {
      counts.put(model, new int[2]);
    }
    long held = 0;
    List<Ticket> runningNow;
    lock.lock();
    try {
      for (Ticket t : waiting) {
        counts.computeIfAbsent(t.model, m -> new int[2])[0]++;
      }
      runningNow = new ArrayList<>(running);
    } finally {
      lock.unlock();
    }
    for (Ticket t : runningNow) {
      counts.computeIfAbsent(t.model, m -> new int[2])[1]++;
      held += t.promptTokens + t.generated.get();
    }
    Map<String, ModelLoad> byModel = new LinkedHashMap<>();
    Map<String, TokenCounts> tokensByModel = new LinkedHashMap<>();
    counts.forEach((model, c) -> {
      byModel.put(model, new ModelLoad(c[0], c[1]));
      TokenCounters counters = countersOf(model);
      tokensByModel.put(model,
          new TokenCounts(counters.prompt.get(), counters.generation.get()));
    });
    double usage = Math.min(1.0, (double) held / kvCapacityTokens);
    return new Snapshot(byModel, held, usage, tokensByModel, interTokenLatencies.snapshot());
  }

  private TokenCounters countersOf(String model) {
    return tokens.computeIfAbsent(model, m -> new TokenCounters());
  }
}
