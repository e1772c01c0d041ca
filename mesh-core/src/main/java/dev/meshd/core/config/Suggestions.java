package dev.meshd.core.config;

import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean" for misspelt keys and values: the known word closest to what was written, if it
 * is within two edits (a typo or a transposition, not a different word).
 *
 * <p>Stateless and thread-safe.
 */
final class Suggestions {

  private static final int MAX_DISTANCE = 2;

  private Suggestions() {}

  static Optional<String> closest(String written, Collection<String> known) {
    String best = null;
    int bestDistance = MAX_DISTANCE + 1;
    for (String candidate : known) {
      int d = distance(written, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    // A one-letter word is within two edits of every short key: a guess would be noise.
    return written.length() > 2 ? Optional.ofNullable(best) : Optional.empty();
  }

  /** The parenthesised hint for an error message. */
  static String expected(String written, Collection<String> known) {
    String all = String.join(", ", known);
    return closest(written, known)
        .map(s -> "(expected: one of " + all + "; did you mean " + s + "?)")
        .orElse("(expected: one of " + all + ")");
  }

  /** Levenshtein distance with adjacent transpositions counted as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
