package dev.meshd.core.fleet;

/** SWIM state of a fleet member as this agent sees it. */
public enum MemberState {
  ALIVE,
  SUSPECT,
  DEAD,
  LEFT;

  /** Only ALIVE members may receive work. */
  public boolean isRoutable() {
    return this == ALIVE;
  }
}
