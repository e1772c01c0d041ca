package dev.meshd.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventQueueTest {

  @Test
  void eventsComeOutByTimeThenInTheOrderScheduled() {
    EventQueue q = new EventQueue(2);
    q.schedule(30, 1, 0, 0);
    q.schedule(10, 2, 1, 0);
    q.schedule(10, 3, 2, 0);
    q.schedule(20, 4, 3, 0);
    q.schedule(10, 5, 4, 0);
    List<Integer> kinds = new ArrayList<>();
    while (!q.isEmpty()) {
      q.poll();
      kinds.add(q.kind());
    }
    assertThat(kinds).containsExactly(2, 3, 5, 4, 1);
  }

  @Test
  void matchesAReferenceQueueOnRandomInterleavings() {
    SplittableRandom r = new SplittableRandom(9);
    EventQueue q = new EventQueue(4);
    PriorityQueue<long[]> ref = new PriorityQueue<>((a, b) -> a[0] != b[0]
        ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    long seq = 0;
    for (int i = 0; i < 200_000; i++) {
      if (ref.isEmpty() || r.nextInt(3) > 0) {
        long t = r.nextLong(1000);
        q.schedule(t, (int) (seq % 7), (int) seq, -(int) seq);
        ref.add(new long[] {t, seq++});
      } else {
        q.poll();
        long[] expected = ref.poll();
        assertThat(q.time()).isEqualTo(expected[0]);
        assertThat(q.a()).isEqualTo((int) expected[1]);
        assertThat(q.b()).isEqualTo(-(int) expected[1]);
      }
    }
    assertThat(q.size()).isEqualTo(ref.size());
  }
}
