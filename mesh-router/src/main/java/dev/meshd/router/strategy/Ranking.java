package dev.meshd.router.strategy;

import dev.meshd.router.Candidate;
import dev.meshd.router.ScoredTarget;
import java.util.Comparator;
import java.util.List;

/** Orders scored targets best first; equal scores by candidate key, so results are stable. */
final class Ranking {

  static final Comparator<ScoredTarget> BEST_FIRST =
      Comparator.comparingDouble(ScoredTarget::score).reversed()
          .thenComparing((x, y) -> compareKeys(x.candidate(), y.candidate()));

  private Ranking() {}

  static List<ScoredTarget> sorted(List<ScoredTarget> scored) {
    return scored.stream().sorted(BEST_FIRST).toList();
  }

  /** 1 for an empty queue, 0.5 for one waiting request, towards 0 as it grows. */
  static double queueTerm(double queue) {
    return 1.0 / (1.0 + Math.max(0, queue));
  }

  /**
   * The sign of {@code a.key().compareTo(b.key())} without building either key: ties are broken
   * on every comparison of a sort, so the string concatenation was most of a sort's cost.
   * Comparing node ids first and runtimes second would order differently ({@code "n1"} and
   * {@code "n1-x"}: the key's {@code '/'} sorts after {@code '-'}), so when one node id is a prefix
   * of the other the comparison walks the keys as they would be spelled.
   */
  static int compareKeys(Candidate a, Candidate b) {
    String na = a.nodeId();
    String nb = b.nodeId();
    int common = Math.min(na.length(), nb.length());
    if (!na.regionMatches(0, nb, 0, common)) {
      return na.compareTo(nb); // the first difference lies within both node ids
    }
    if (na.length() == nb.length()) {
      return a.runtime().compareTo(b.runtime());
    }
    int la = keyLength(a);
    int lb = keyLength(b);
    for (int i = common, end = Math.min(la, lb); i < end; i++) {
      char ca = keyChar(a, i);
      char cb = keyChar(b, i);
      if (ca != cb) {
        return ca - cb;
      }
    }
    return la - lb;
  }

  static int keyLength(Candidate c) {
    return c.nodeId().length() + 1 + c.runtime().length();
  }

  static char keyChar(Candidate c, int i) {
    String node = c.nodeId();
    return i < node.length() ? node.charAt(i)
        : i == node.length() ? '/' : c.runtime().charAt(i - node.length() - 1);
  }
}
