package dev.meshd.router.route;

import dev.meshd.core.policy.Policy;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Picks the policy whose model selector matches a model: an exact name beats any glob, a longer
 * glob beats a shorter one, and equally long globs are decided by policy name so that every
 * router picks the same one. Selectors use {@code *} (any run of characters, {@code /} included)
 * and {@code ?} (one character). Stateless.
 */
public final class PolicyMatcher {

  private static final Comparator<Policy> MOST_SPECIFIC_FIRST =
      Comparator.comparing((Policy p) -> isGlob(p.modelSelector()))
          .thenComparing(Comparator.comparingInt((Policy p) -> p.modelSelector().length())
              .reversed())
          .thenComparing(Policy::name);

  private PolicyMatcher() {}

  public static Optional<Policy> match(String model, Collection<Policy> policies) {
    return policies.stream()
        .filter(p -> matches(p.modelSelector(), model))
        .min(MOST_SPECIFIC_FIRST);
  }

  static boolean isGlob(String selector) {
    return selector.indexOf('*') >= 0 || selector.indexOf('?') >= 0;
  }

  /** Glob match without regex compilation (selectors come from operators; no backtracking blowup). */
  static boolean matches(String selector, String model) {
    int s = 0;
    int m = 0;
    int starAt = -1;
    int matchAfterStar = 0;
    while (m < model.length()) {
      if (s < selector.length()
          && (selector.charAt(s) == '?' || selector.charAt(s) == model.charAt(m))) {
        s++;
        m++;
      } else if (s < selector.length() && selector.charAt(s) == '*') {
        starAt = s++;
        matchAfterStar = m;
      } else if (starAt >= 0) {
        s = starAt + 1;
        m = ++matchAfterStar;
      } else {
        return false;
      }
    }
    while (s < selector.length() && selector.charAt(s) == '*') {
      s++;
    }
    return s == selector.length();
  }
}
