package dev.meshd.router.strategy;

import dev.meshd.router.Candidate;
import dev.meshd.router.CandidateColumns;
import dev.meshd.router.EligibleTargets;
import java.util.Arrays;
import java.util.List;

/**
 * Partial selection over candidates by index, for the strategies' fast path: the best k of n in
 * O(n) comparisons for a small k, and the element of a given rank (quickselect), instead of a
 * full sort. Orders are total (the candidate's position breaks the last tie), so every result is
 * exactly what a stable sort by the same order would put at those positions. Stateless.
 */
final class Selection {

  /** A total order over candidate indices; negative when {@code a} comes first. */
  interface IndexOrder {
    int compare(int a, int b);
  }

  private Selection() {}

  /** {@link Ranking#BEST_FIRST} on primitive scores: score descending, key, position. */
  static IndexOrder bestFirst(double[] scores, List<Candidate> candidates) {
    return (a, b) -> {
      int c = Double.compare(scores[b], scores[a]);
      if (c != 0) {
        return c;
      }
      c = Ranking.compareKeys(candidates.get(a), candidates.get(b));
      return c != 0 ? c : Integer.compare(a, b);
    };
  }

  /**
   * {@link #bestFirst(double[], List)} over columns: score descending, then key rank (which
   * already orders equal keys by position, as a stable sort would).
   */
  static IndexOrder bestFirst(double[] scores, EligibleTargets eligible) {
    CandidateColumns columns = eligible.columns();
    return (a, b) -> {
      int c = Double.compare(scores[b], scores[a]);
      return c != 0 ? c : Integer.compare(columns.keyRank(eligible.column(a)),
          columns.keyRank(eligible.column(b)));
    };
  }

  /** {@link #byKey} over columns: key rank, which orders equal keys by position. */
  static IndexOrder byKey(EligibleTargets eligible) {
    CandidateColumns columns = eligible.columns();
    return (a, b) -> Integer.compare(columns.keyRank(eligible.column(a)),
        columns.keyRank(eligible.column(b)));
  }

  /**
   * By candidate key, then position: the order of a stable sort by key. Keys usually share a
   * long prefix ({@code node-}), so each key's next {@value #PACKED_CHARS} characters after the
   * prefix common to all are packed into a long first, and most comparisons compare two longs
   * rather than two strings. Equal packs fall back to the full key comparison.
   */
  static IndexOrder byKey(List<Candidate> candidates) {
    int n = candidates.size();
    Candidate first = candidates.getFirst();
    int common = Ranking.keyLength(first);
    for (int i = 1; i < n && common > 0; i++) {
      common = commonPrefix(first, candidates.get(i), common);
    }
    long[] packed = new long[n];
    for (int i = 0; i < n; i++) {
      packed[i] = pack(candidates.get(i), common);
    }
    return (a, b) -> {
      int c = Long.compareUnsigned(packed[a], packed[b]);
      if (c != 0) {
        return c;
      }
      c = Ranking.compareKeys(candidates.get(a), candidates.get(b));
      return c != 0 ? c : Integer.compare(a, b);
    };
  }

  static final int PACKED_CHARS = 4;

  private static int commonPrefix(Candidate a, Candidate b, int limit) {
    String na = a.nodeId();
    String nb = b.nodeId();
    if (limit <= na.length() && limit <= nb.length() && na.regionMatches(0, nb, 0, limit)) {
      return limit; // the usual case once the prefix is within the node ids: one intrinsic
    }
    int end = Math.min(limit, Ranking.keyLength(b));
    int i = 0;
    while (i < end && Ranking.keyChar(a, i) == Ranking.keyChar(b, i)) {
      i++;
    }
    return i;
  }

  /**
   * The key's characters {@code from..from+3}, 16 bits each, a missing one (past the key's end) as
   * 0: unsigned order of packs agrees with the keys' order wherever two packs differ, since every
   * key has the same {@code from} characters before them and a shorter key sorts first.
   */
  private static long pack(Candidate c, int from) {
    int length = Ranking.keyLength(c);
    long packed = 0;
    for (int i = from; i < from + PACKED_CHARS; i++) {
      packed = packed << 16 | (i < length ? Ranking.keyChar(c, i) : 0);
    }
    return packed;
  }

  /**
   * {@link #top(int, int, int, int, IndexOrder)} of all n for an order that is {@code scores}
   * descending first (as {@link #bestFirst} orders): a target that scores below the worst kept
   * is passed over on one primitive comparison, so the order is asked only about the few that
   * may belong.
   */
  static int[] topByScore(double[] scores, int n, int k, IndexOrder order) {
    int[] best = new int[k];
    int size = 0;
    for (int i = 0; i < n; i++) {
      if (size == k && (k == 0 || scores[i] < scores[best[k - 1]])) {
        continue;
      }
      size = offer(best, size, i, order);
    }
    return size == k ? best : Arrays.copyOf(best, size);
  }

  /** The first {@code k} of indices 0..n-1 other than {@code skipA} and {@code skipB}, in order. */
  static int[] top(int n, int k, int skipA, int skipB, IndexOrder order) {
    int[] best = new int[k];
    int size = 0;
    for (int i = 0; i < n; i++) {
      if (i != skipA && i != skipB) {
        size = offer(best, size, i, order);
      }
    }
    return size == k ? best : Arrays.copyOf(best, size);
  }

  /** The first {@code k} of {@code indices[from..to)}, in order. */
  static int[] top(int[] indices, int from, int to, int k, IndexOrder order) {
    int[] best = new int[k];
    int size = 0;
    for (int i = from; i < to; i++) {
      size = offer(best, size, indices[i], order);
    }
    return size == k ? best : Arrays.copyOf(best, size);
  }

  /** Inserts {@code i} into the sorted {@code best[0..size)} if it belongs; the new size. */
  private static int offer(int[] best, int size, int i, IndexOrder order) {
    int k = best.length;
    if (k == 0) {
      return 0;
    }
    if (size == k) {
      if (order.compare(i, best[k - 1]) >= 0) {
        return size; // the common case: no better than the worst kept
      }
      size--;
    }
    int j = size;
    while (j > 0 && order.compare(i, best[j - 1]) < 0) {
      best[j] = best[j - 1];
      j--;
    }
    best[j] = i;
    return size + 1;
  }

  /**
   * Rearranges {@code indices[from..to)} so that position {@code rank} holds what a sort would put
   * there, smaller ones before it and larger ones after it; returns that index.
   */
  static int select(int[] indices, int from, int to, int rank, IndexOrder order) {
    int lo = from;
    int hi = to - 1;
    while (lo < hi) {
      int p = partition(indices, lo, hi, medianOfThree(indices, lo, (lo + hi) >>> 1, hi, order),
          order);
      if (p == rank) {
        break;
      }
      if (rank < p) {
        hi = p - 1;
      } else {
        lo = p + 1;
      }
    }
    return indices[rank];
  }

  private static int medianOfThree(int[] x, int a, int b, int c, IndexOrder order) {
    if (order.compare(x[a], x[b]) < 0) {
      return order.compare(x[b], x[c]) < 0 ? b : order.compare(x[a], x[c]) < 0 ? c : a;
    }
    return order.compare(x[a], x[c]) < 0 ? a : order.compare(x[b], x[c]) < 0 ? c : b;
  }

  /** Lomuto partition around {@code x[pivot]}; its final position. */
  private static int partition(int[] x, int lo, int hi, int pivot, IndexOrder order) {
    swap(x, pivot, hi);
    int p = x[hi];
    int store = lo;
    for (int i = lo; i < hi; i++) {
      if (order.compare(x[i], p) < 0) {
        swap(x, i, store++);
      }
    }
    swap(x, store, hi);
    return store;
  }

  private static void swap(int[] x, int i, int j) {
    int t = x[i];
    x[i] = x[j];
    x[j] = t;
  }

  static int[] identity(int n) {
    int[] x = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
    }
    return x;
  }
}
