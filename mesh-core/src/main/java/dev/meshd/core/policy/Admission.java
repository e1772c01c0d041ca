package dev.meshd.core.policy;

/**
 * Admission limits of a {@link Policy}. Zero means "no limit", so a policy without an
 * {@code admission} section admits everything ({@link #UNLIMITED}).
 *
 * @param maxQueueDepthPerTarget the router skips a target whose queue is deeper; 0: no limit
 * @param maxInFlightPerTenant requests one tenant may have in flight; 0: no limit
 */
public record Admission(int maxQueueDepthPerTarget, int maxInFlightPerTenant) {

  public static final Admission UNLIMITED = new Admission(0, 0);

  public boolean isUnlimited() {
    return maxQueueDepthPerTarget == 0 && maxInFlightPerTenant == 0;
  }
}
