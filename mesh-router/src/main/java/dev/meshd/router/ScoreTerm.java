package dev.meshd.router;

/**
 * One part of a target's score, kept so that a decision can be explained.
 *
 * @param name the term, e.g. {@code queue_depth}
 * @param value the term's value in 0..1 (1 is best) before weighting
 * @param weight its weight in this decision
 */
public record ScoreTerm(String name, double value, double weight) {
  public double contribution() {
    return value * weight;
  }
}
