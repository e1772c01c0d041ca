package dev.meshd.router;

import java.util.List;

/** A candidate with its score (higher is better) and the terms that made it. */
public record ScoredTarget(Candidate candidate, double score, List<ScoreTerm> terms) {
  public ScoredTarget {
    terms = List.copyOf(terms);
  }
}
