package dev.meshd.router.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.router.Candidate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SelectionTest {

  private final SplittableRandom random = new SplittableRandom(17);

  @Test
  void byKeyIsTheStableSortByKey() {
    for (int round = 0; round < 2_000; round++) {
      List<Candidate> candidates = candidates(1 + random.nextInt(30));
      Selection.IndexOrder order = Selection.byKey(candidates);
      List<Integer> expected = IntStream.range(0, candidates.size()).boxed()
          .sorted(Comparator.comparing(i -> candidates.get(i).key())).toList();
      assertThat(sorted(candidates.size(), order)).isEqualTo(expected);
    }
  }

  @Test
  void topAndSelectAgreeWithASort() {
    for (int round = 0; round < 2_000; round++) {
      int n = 1 + random.nextInt(40);
      List<Candidate> candidates = candidates(n);
      double[] scores = random.doubles(n).map(d -> Math.floor(d * 4) / 4).toArray();
      if (random.nextInt(10) == 0) {
        scores[random.nextInt(n)] = Double.NaN; // Double.compare's order: NaN above all
      }
      Selection.IndexOrder order = Selection.bestFirst(scores, candidates);
      List<Integer> sorted = sorted(n, order);
      int k = 1 + random.nextInt(n + 2);
      int[] expectedTop = sorted.subList(0, Math.min(k, n)).stream().mapToInt(i -> i).toArray();
      assertThat(Selection.top(n, k, -1, -1, order)).containsExactly(expectedTop);
      assertThat(Selection.topByScore(scores, n, k, order)).containsExactly(expectedTop);
      int rank = random.nextInt(n);
      assertThat(Selection.select(Selection.identity(n), 0, n, rank, order))
          .isEqualTo(sorted.get(rank));
    }
  }

  private static List<Integer> sorted(int n, Selection.IndexOrder order) {
    return IntStream.range(0, n).boxed().sorted(order::compare).toList();
  }

  /** Keys that share prefixes, contain the separator and repeat. */
  private List<Candidate> candidates(int n) {
    String[] parts = {"node-", "node-1", "n/", "a", "", "node-1/", "\u0000"};
    List<Candidate> candidates = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String node = parts[random.nextInt(parts.length)] + random.nextInt(12);
      String runtime = parts[random.nextInt(parts.length)] + random.nextInt(3);
      candidates.add(new Candidate(node, "h", "", "", runtime, "m", true, false, true, "", 0, 0,
          OptionalDouble.empty(), OptionalDouble.empty(), 1, 0, Duration.ZERO, 0,
              Optional.empty()));
    }
    return candidates;
  }
}
