package dev.meshd.cli.command;

/** Exit codes of {@code mesh-cli} (DESIGN, "Contract details"); outside scripts rely on them. */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** The agent could not be reached or refused the call. */
  public static final int AGENT_FAILED = 1;
  /** Bad usage or invalid input; nothing was sent. */
  public static final int INVALID_INPUT = 2;

  private ExitCodes() {}
}
