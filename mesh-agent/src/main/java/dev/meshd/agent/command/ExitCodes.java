package dev.meshd.agent.command;

/** Exit codes shared by {@code mesh-agent} and {@code mesh-cli} (DESIGN, "Contract details"). */
public final class ExitCodes {
  public static final int OK = 0;
  /** Something outside the input failed: a port in use, an unreachable peer. */
  public static final int UNAVAILABLE = 1;
  /** Bad usage or invalid input, including an invalid config. */
  public static final int INVALID_INPUT = 2;

  private ExitCodes() {}
}
