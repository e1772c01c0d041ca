package dev.meshd.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WorkerTimersTest {

  @Test
  void theEarliestWorkerComesFirstAndMovesInPlace() {
    WorkerTimers t = new WorkerTimers(4);
    t.set(0, 50);
    t.set(1, 20);
    t.set(2, 20);
    assertThat(t.peekWorker()).isEqualTo(1); // ties: lower index
    t.set(1, 70);
    assertThat(t.peekWorker()).isEqualTo(2);
    t.set(2, WorkerTimers.NONE);
    assertThat(t.peekWorker()).isZero();
    assertThat(t.peekTime()).isEqualTo(50);
    t.set(0, WorkerTimers.NONE);
    t.set(1, WorkerTimers.NONE);
    assertThat(t.isEmpty()).isTrue();
  }

  @Test
  void agreesWithAScanOnRandomUpdates() {
    int n = 64;
    WorkerTimers t = new WorkerTimers(n);
    long[] due = new long[n];
    java.util.Arrays.fill(due, WorkerTimers.NONE);
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 100_000; i++) {
      int w = r.nextInt(n);
      long v = r.nextInt(5) == 0 ? WorkerTimers.NONE : r.nextLong(500);
      t.set(w, v);
      due[w] = v;
      long min = WorkerTimers.NONE;
      int arg = -1;
      for (int k = 0; k < n; k++) {
        if (due[k] < min) {
          min = due[k];
          arg = k;
        }
      }
      assertThat(t.peekTime()).isEqualTo(min);
      if (arg >= 0) {
        assertThat(t.peekWorker()).isEqualTo(arg);
      }
    }
  }
}
