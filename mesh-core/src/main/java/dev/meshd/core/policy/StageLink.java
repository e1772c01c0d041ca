package dev.meshd.core.policy;

/**
 * The activation path from one pipeline stage to the next.
 *
 * @param fromStage index of the sending stage
 * @param toStage index of the receiving stage, {@code fromStage + 1}
 * @param status what the fabric negotiator found; {@link LinkStatus#PENDING} when absent
 */
public record StageLink(int fromStage, int toStage, LinkStatus status) {

  public StageLink {
    status = status == null ? LinkStatus.PENDING : status;
  }

  /** A link nobody negotiated yet. */
  public static StageLink pending(int fromStage, int toStage) {
    return new StageLink(fromStage, toStage, LinkStatus.PENDING);
  }
}
