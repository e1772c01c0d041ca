package dev.meshd.sim.engine;

import dev.meshd.sim.fleet.Fleet;

/**
 * The service model of every worker (docs/simulation.md, "Service model"): requests that arrive
 * wait for a batch slot and KV-cache room (first come, first served; a batch window, when the
 * profile has one, collects arrivals before admitting them); an admitted request is prefilled,
 * one at a time at the prefill rate while decode pauses (the GPU is time-shared), then decodes
 * with the rest of the running batch, each request at {@code min(tokens/s / n, ceiling)}. Decode
 * progress is kept as one virtual clock per worker (tokens each running request has received),
 * so a batch change costs no per-request update. The KV cache a request needs (prompt + output)
 * is reserved at admission and released at completion or cancellation; the occupancy reported in
 * signals grows with the tokens actually held.
 *
 * <p>Not thread-safe: owned by the simulation's thread. Invariant between calls: {@code used[w]}
 * counts the worker's attempts in PREFILL_QUEUED, PREFILL and DECODE, and {@code kvReserved[w]}
 * their reservations.
 */
final class Workers {

  /** What the simulation is told of attempts' progress. */
  interface Listener {
    void onFirstToken(int attempt, long nowNanos);

    void onComplete(int attempt, long nowNanos);

    /** The worker refused the attempt: {@link Simulation#REJECT_TOO_LARGE} or a full queue. */
    void onRefused(int attempt, long nowNanos, int reason);

    void scheduleWindowClose(int worker, long atNanos);
  }

  private static final double EPS = 1e-6;

  private final Fleet fleet;
  private final RequestTable requests;
  private final WorkerTimers timers;
  private final Listener listener;
  private final double[] modelKvPerToken;
  private final long[] modelKvPerRequest;
  private final int queueLimit;

  final int[] used;
  final long[] kvReserved;
  final int[] waitingCount;
  final long[] admittedPrompt;
  private final IntQueue[] waiting;
  private final IntQueue[] prefillQueue;
  private final int[] prefillHead;
  private final long[] prefillEnd;
  private final int[][] decodeAttempt;
  private final double[][] decodeEnd;
  final int[] decoding;
  private final double[] minEnd;
  private final double[] virtual;
  private final long[] last;
  /** Busy time, ns weighted by the share of the GPU's decode rate in use. */
  final double[] busyNanos;
  /** Tokens decoded, all requests together: the runtime's generation counter. */
  final double[] generated;
  /**
   * Seconds between consecutive tokens, summed over every decoding request: the {@code _sum} of
   * the runtime's inter-token latency histogram, whose {@code _count} is {@link #generated}.
   * Time a decoding request waits out another's prefill counts, as it does in vLLM's histogram.
   */
  final double[] interTokenSeconds;
  private final boolean[] windowOpen;

  Workers(Fleet fleet, RequestTable requests, WorkerTimers timers, Listener listener,
      double[] modelKvPerToken, long[] modelKvPerRequest, int queueLimit) {
    this.fleet = fleet;
    this.requests = requests;
    this.timers = timers;
    this.listener = listener;
    this.modelKvPerToken = modelKvPerToken;
    this.modelKvPerRequest = modelKvPerRequest;
    this.queueLimit = queueLimit;
    int n = fleet.size;
    used = new int[n];
    kvReserved = new long[n];
    waitingCount = new int[n];
    admittedPrompt = new long[n];
    waiting = new IntQueue[n];
    prefillQueue = new IntQueue[n];
    prefillHead = new int[n];
    prefillEnd = new long[n];
    decodeAttempt = new int[n][];
    decodeEnd = new double[n][];
    decoding = new int[n];
    minEnd = new double[n];
    virtual = new double[n];
    last = new long[n];
    busyNanos = new double[n];
    generated = new double[n];
    interTokenSeconds = new double[n];
    windowOpen = new boolean[n];
    for (int w = 0; w < n; w++) {
      waiting[w] = new IntQueue();
      prefillQueue[w] = new IntQueue();
      prefillHead[w] = -1;
      decodeAttempt[w] = new int[fleet.slots[w]];
      decodeEnd[w] = new double[fleet.slots[w]];
      minEnd[w] = Double.POSITIVE_INFINITY;
    }
  }

  /** The KV cache {@code attempt}'s request needs at worker {@code w}. */
  long kvNeed(int w, int request) {
    int m = fleet.model[w];
    return modelKvPerRequest[m] > 0 ? modelKvPerRequest[m]
        : (long) Math.ceil((requests.prompt[request] + requests.output[request])
            * modelKvPerToken[m]);
  }

  /** One running request's decode rate with {@code n} running. */
  private double rate(int w, int n) {
    return fleet.decodeRate(w, n);
  }

  /** Brings the worker's decode clock and busy time up to {@code now}. */
  void advance(int w, long now) {
    long dt = now - last[w];
    if (dt <= 0) {
      return;
    }
    last[w] = now;
    int n = decoding[w];
    interTokenSeconds[w] += n * dt / 1e9;
    if (prefillHead[w] >= 0) {
      busyNanos[w] += dt;
      return;
    }
    if (n == 0) {
      return;
    }
    double r = rate(w, n);
    virtual[w] += r * dt / 1e9;
    generated[w] += n * r * dt / 1e9;
    busyNanos[w] += dt * (n * r / fleet.tokensPerS[w]);
  }

  /** An attempt reaches worker {@code w}. */
  void arrive(int w, int attempt, long now) {
    advance(w, now);
    if (requests.state[attempt] == RequestTable.CANCELLED) {
      return; // its hedge partner answered while it was on the way
    }
    int r = RequestTable.request(attempt);
    long need = kvNeed(w, r);
    if (need > fleet.kvCapacityBytes[w]) {
      requests.state[attempt] = RequestTable.REFUSED;
      listener.onRefused(attempt, now, Simulation.REJECT_TOO_LARGE);
      return;
    }
    if (queueLimit > 0 && waitingCount[w] >= queueLimit) {
      requests.state[attempt] = RequestTable.REFUSED;
      listener.onRefused(attempt, now, Simulation.REJECT_WORKER_QUEUE);
      return;
    }
    requests.kvNeed[attempt] = need;
    requests.state[attempt] = RequestTable.WAITING;
    requests.atWorker[attempt] = now;
    waiting[w].add(attempt);
    waitingCount[w]++;
    long window = fleet.batchWindowNanos[w];
    if (window > 0 && !windowOpen[w] && used[w] < fleet.slots[w]) {
      windowOpen[w] = true;
      listener.scheduleWindowClose(w, now + window);
      return;
    }
    admit(w, now);
    reschedule(w, now);
  }

  void closeWindow(int w, long now) {
    advance(w, now);
    windowOpen[w] = false;
    admit(w, now);
    reschedule(w, now);
  }

  /** The worker's timer fired: a prefill ended or a decode completion is due. */
  void step(int w, long now) {
    advance(w, now);
    if (prefillHead[w] >= 0) {
      if (now >= prefillEnd[w]) {
        finishPrefill(w, now);
      }
    } else {
      completeDue(w, now);
    }
    admit(w, now);
    reschedule(w, now);
  }

  private void finishPrefill(int w, long now) {
    int a = prefillHead[w];
    prefillHead[w] = -1;
    int r = RequestTable.request(a);
    if (requests.output[r] == 0) {
      release(w, a);
      requests.state[a] = RequestTable.FINISHED;
      listener.onFirstToken(a, now);
      listener.onComplete(a, now);
    } else {
      int i = decoding[w]++;
      double end = virtual[w] + requests.output[r];
      decodeAttempt[w][i] = a;
      decodeEnd[w][i] = end;
      minEnd[w] = Math.min(minEnd[w], end);
      requests.state[a] = RequestTable.DECODE;
      listener.onFirstToken(a, now);
    }
    startNextPrefill(w, now);
  }

  private void completeDue(int w, long now) {
    double v = virtual[w] + EPS;
    int[] attempts = decodeAttempt[w];
    double[] ends = decodeEnd[w];
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < decoding[w]; ) {
      if (ends[i] <= v) {
        int a = attempts[i];
        removeDecodeSlot(w, i);
        release(w, a);
        requests.state[a] = RequestTable.FINISHED;
        listener.onComplete(a, now);
      } else {
        min = Math.min(min, ends[i]);
        i++;
      }
    }
    minEnd[w] = min;
  }

  private void removeDecodeSlot(int w, int i) {
    int lastSlot = --decoding[w];
    decodeAttempt[w][i] = decodeAttempt[w][lastSlot];
    decodeEnd[w][i] = decodeEnd[w][lastSlot];
  }

  private void release(int w, int a) {
    used[w]--;
    kvReserved[w] -= requests.kvNeed[a];
    admittedPrompt[w] -= requests.prompt[RequestTable.request(a)];
  }

  /** Admits waiting attempts while a slot and KV room are free (first come, first served). */
  private void admit(int w, long now) {
    if (windowOpen[w]) {
      return;
    }
    IntQueue q = waiting[w];
    while (!q.isEmpty() && used[w] < fleet.slots[w]) {
      int a = q.peek();
      if (requests.state[a] != RequestTable.WAITING) {
        q.poll(); // cancelled while waiting
        continue;
      }
      if (kvReserved[w] + requests.kvNeed[a] > fleet.kvCapacityBytes[w]) {
        break; // head of line waits for KV room
      }
      q.poll();
      waitingCount[w]--;
      used[w]++;
      kvReserved[w] += requests.kvNeed[a];
      admittedPrompt[w] += requests.prompt[RequestTable.request(a)];
      requests.admitted[a] = now;
      requests.state[a] = RequestTable.PREFILL_QUEUED;
      prefillQueue[w].add(a);
    }
    if (prefillHead[w] < 0) {
      startNextPrefill(w, now);
    }
  }

  private void startNextPrefill(int w, long now) {
    IntQueue q = prefillQueue[w];
    while (!q.isEmpty()) {
      int a = q.poll();
      if (requests.state[a] != RequestTable.PREFILL_QUEUED) {
        continue; // cancelled in the queue
      }
      prefillHead[w] = a;
      requests.state[a] = RequestTable.PREFILL;
      requests.prefillStart[a] = now;
      prefillEnd[w] = now + (long) Math.ceil(requests.prompt[RequestTable.request(a)] * 1e9
          / fleet.prefillTokensPerS[w]);
      return;
    }
  }

  private void reschedule(int w, long now) {
    long due;
    if (prefillHead[w] >= 0) {
      due = prefillEnd[w];
    } else if (decoding[w] > 0) {
      double tokens = Math.max(0, minEnd[w] - virtual[w]);
      due = now + Math.max(1, (long) Math.ceil(tokens / rate(w, decoding[w]) * 1e9));
    } else {
      due = WorkerTimers.NONE;
    }
    timers.set(w, due);
  }

  /**
   * Cancels a live attempt (its hedge partner answered first); returns the tokens of work it
   * had done, which is wasted.
   */
  double cancel(int a, long now) {
    int w = requests.worker[a];
    byte s = requests.state[a];
    requests.state[a] = RequestTable.CANCELLED;
    switch (s) {
      case RequestTable.IN_FLIGHT -> {
        return 0;
      }
      case RequestTable.WAITING -> {
        waitingCount[w]--;
        return 0;
      }
      default -> {
        // admitted: PREFILL_QUEUED, PREFILL or DECODE
      }
    }
    advance(w, now);
    double wasted = 0;
    if (s == RequestTable.PREFILL) {
      wasted = (now - requests.prefillStart[a]) / 1e9 * fleet.prefillTokensPerS[w];
      prefillHead[w] = -1;
      startNextPrefill(w, now);
    } else if (s == RequestTable.DECODE) {
      for (int i = 0; i < decoding[w]; i++) {
        if (decodeAttempt[w][i] == a) {
          int r = RequestTable.request(a);
          wasted = requests.prompt[r] + requests.output[r] - (decodeEnd[w][i] - virtual[w]);
          removeDecodeSlot(w, i);
          break;
        }
      }
      double min = Double.POSITIVE_INFINITY;
      for (int i = 0; i < decoding[w]; i++) {
        min = Math.min(min, decodeEnd[w][i]);
      }
      minEnd[w] = min;
    }
    release(w, a);
    admit(w, now);
    reschedule(w, now);
    return wasted;
  }

  /** KV bytes the worker's admitted requests hold now (prompts, and tokens decoded so far). */
  long kvHeldBytes(int w) {
    int m = fleet.model[w];
    if (modelKvPerRequest[m] > 0) {
      return used[w] * modelKvPerRequest[m];
    }
    double tokens = admittedPrompt[w];
    double v = virtual[w];
    for (int i = 0; i < decoding[w]; i++) {
      int r = RequestTable.request(decodeAttempt[w][i]);
      tokens += requests.output[r] - Math.max(0, decodeEnd[w][i] - v);
    }
    return (long) (tokens * modelKvPerToken[m]);
  }

  /** Whether the worker holds nothing: every slot and every reserved byte released. */
  boolean isIdle(int w) {
    return used[w] == 0 && kvReserved[w] == 0 && waitingCount[w] == 0 && decoding[w] == 0
        && prefillHead[w] < 0;
  }
}
