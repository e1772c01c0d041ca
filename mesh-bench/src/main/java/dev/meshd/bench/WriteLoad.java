package dev.meshd.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop write load: {@code clients} virtual threads, each issuing one write at a time for
 * a fixed duration, every latency recorded. The same loop drives meshd and etcd so that only the
 * store differs.
 */
final class WriteLoad {

  /** One blocking write of {@code key}; throws when the store refuses or fails it. */
  @FunctionalInterface
  interface Writer {
    void write(String key) throws Exception;
  }

  /** What one run measured. Latencies in microseconds. */
  record Result(int clients, long writes, long failures, double seconds, long p50Micros,
      long p99Micros, long maxMicros) {

    double writesPerSecond() {
      return writes / seconds;
    }
  }

  private WriteLoad() {}

  /**
   * Runs {@code clients} writers over {@code keys} keys for {@code duration}.
   */
  static Result run(Writer writer, int clients, int keys, Duration duration)
      throws InterruptedException {
    List<long[]> perClient = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    AtomicLong failures = new AtomicLong();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      long[] latencies = new long[1 << 20];
      int[] count = new int[1];
      perClient.add(latencies);
      counts.add(count);
      int client = c;
      threads.add(Thread.ofVirtual().name("writer-" + c).start(() -> {
        int i = client;
        while (System.nanoTime() < end && count[0] < latencies.length) {
          String key = "bench-" + (i % keys);
          i += clients;
          long t0 = System.nanoTime();
          try {
            writer.write(key);
            latencies[count[0]++] = System.nanoTime() - t0;
          } catch (Exception e) {
            failures.incrementAndGet();
          }
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int total = counts.stream().mapToInt(c -> c[0]).sum();
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < clients; c++) {
      System.arraycopy(perClient.get(c), 0, all, at, counts.get(c)[0]);
      at += counts.get(c)[0];
    }
    Arrays.sort(all);
    return new Result(clients, total, failures.get(), seconds, percentile(all, 0.50),
        percentile(all, 0.99), total == 0 ? 0 : all[total - 1] / 1_000);
  }

  private static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1_000;
  }
}
