package dev.meshd.router.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.router.Candidate;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RankingTest {

  @Test
  void compareKeysOrdersAsTheKeyStringsDo() {
    // Short strings over an alphabet around '/' (the key's separator), so node ids are often
    // prefixes of one another and contain the separator themselves.
    char[] alphabet = {'-', '.', '/', '0', '1', 'a'};
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 200_000; i++) {
      Candidate a = candidate(word(r, alphabet), word(r, alphabet));
      Candidate b = candidate(word(r, alphabet), word(r, alphabet));
      assertThat(Integer.signum(Ranking.compareKeys(a, b)))
          .as("%s vs %s", a.key(), b.key())
          .isEqualTo(Integer.signum(a.key().compareTo(b.key())));
    }
  }

  private static String word(SplittableRandom r, char[] alphabet) {
    StringBuilder s = new StringBuilder();
    for (int n = r.nextInt(4); n > 0; n--) {
      s.append(alphabet[r.nextInt(alphabet.length)]);
    }
    return s.toString();
  }

  private static Candidate candidate(String node, String runtime) {
    return new Candidate(node, "h", "", "", runtime, "m", true, false, true, "", 0, 0,
        OptionalDouble.empty(), OptionalDouble.empty(), 1, 0, Duration.ZERO, 0, Optional.empty());
  }
}
