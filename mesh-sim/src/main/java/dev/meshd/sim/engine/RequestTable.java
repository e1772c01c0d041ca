package dev.meshd.sim.engine;

import java.util.Arrays;

/**
 * Every request of a run and its attempts, as parallel arrays indexed by request id (arrival
 * order) and attempt id ({@code 2 x request}: the first attempt, {@code + 1}: its hedge), so the
 * hot path reads and writes primitives instead of allocating an object per request. Not
 * thread-safe: owned by the simulation's thread.
 */
final class RequestTable {

  // Attempt states.
  static final byte NONE = 0;
  static final byte IN_FLIGHT = 1;
  static final byte WAITING = 2;
  static final byte PREFILL_QUEUED = 3;
  static final byte PREFILL = 4;
  static final byte DECODE = 5;
  static final byte FINISHED = 6;
  static final byte CANCELLED = 7;
  static final byte REFUSED = 8;

  int size;
  // Requests.
  long[] arrival = new long[0];
  int[] type = new int[0];
  /** The model that serves it: its type's, or one of that model's copies. */
  int[] model = new int[0];
  int[] tenant = new int[0];
  int[] origin = new int[0];
  int[] prompt = new int[0];
  int[] output = new int[0];
  long[] firstToken = new long[0];
  boolean[] done = new boolean[0];
  int[] hedgeWorker = new int[0];
  // Attempts.
  int[] worker = new int[0];
  byte[] state = new byte[0];
  long[] atWorker = new long[0];
  long[] admitted = new long[0];
  long[] prefillStart = new long[0];
  long[] backNanos = new long[0];
  long[] kvNeed = new long[0];

  /** A new request; its attempts start as {@link #NONE}. */
  int add(long arrivalNanos, int requestType, int requestModel, int requestTenant, int originCell,
      int promptTokens, int outputTokens) {
    if (size == arrival.length) {
      grow(Math.max(1024, size * 2));
    }
    int r = size++;
    arrival[r] = arrivalNanos;
    type[r] = requestType;
    model[r] = requestModel;
    tenant[r] = requestTenant;
    origin[r] = originCell;
    prompt[r] = promptTokens;
    output[r] = outputTokens;
    firstToken[r] = -1;
    done[r] = false;
    hedgeWorker[r] = -1;
    for (int a = 2 * r; a <= 2 * r + 1; a++) {
      worker[a] = -1;
      state[a] = NONE;
    }
    return r;
  }

  static int request(int attempt) {
    return attempt >>> 1;
  }

  static boolean isHedge(int attempt) {
    return (attempt & 1) == 1;
  }

  /** The attempt still running, waiting or in flight at a worker. */
  boolean isLive(int attempt) {
    byte s = state[attempt];
    return s >= IN_FLIGHT && s <= DECODE;
  }

  private void grow(int n) {
    arrival = Arrays.copyOf(arrival, n);
    type = Arrays.copyOf(type, n);
    model = Arrays.copyOf(model, n);
    tenant = Arrays.copyOf(tenant, n);
    origin = Arrays.copyOf(origin, n);
    prompt = Arrays.copyOf(prompt, n);
    output = Arrays.copyOf(output, n);
    firstToken = Arrays.copyOf(firstToken, n);
    done = Arrays.copyOf(done, n);
    hedgeWorker = Arrays.copyOf(hedgeWorker, n);
    worker = Arrays.copyOf(worker, 2 * n);
    state = Arrays.copyOf(state, 2 * n);
    atWorker = Arrays.copyOf(atWorker, 2 * n);
    admitted = Arrays.copyOf(admitted, 2 * n);
    prefillStart = Arrays.copyOf(prefillStart, 2 * n);
    backNanos = Arrays.copyOf(backNanos, 2 * n);
    kvNeed = Arrays.copyOf(kvNeed, 2 * n);
  }
}
