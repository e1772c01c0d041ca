package dev.meshd.cli.command;

import java.util.Objects;

/**
 * A verb's own reason to stop, reported by the root as its message on one line of stderr and
 * the exit code it carries, with no usage hint: a bad input file ({@link ExitCodes#INVALID_INPUT})
 * or a reply that failed a check here, such as a snapshot whose checksum does not match
 * ({@link ExitCodes#AGENT_FAILED}). Failed calls stay {@link io.grpc.StatusRuntimeException}s;
 * a verb wraps one only to say something more useful than the status does. Immutable.
 */
public final class CommandFailure extends RuntimeException {

  private final int exitCode;

  /**
   * @param exitCode one of {@link ExitCodes}, never {@link ExitCodes#OK}
   * @param message the whole line the user sees, without a trailing newline
   */
  public CommandFailure(int exitCode, String message) {
    this(exitCode, message, null);
  }

  /** Like {@link #CommandFailure(int, String)}, keeping {@code cause} for {@code --verbose}. */
  public CommandFailure(int exitCode, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    if (exitCode == ExitCodes.OK) {
      throw new IllegalArgumentException("exitCode: 0 (expected: a failure code)");
    }
    this.exitCode = exitCode;
  }

  /** A bad input file or value: exit 2. */
  public static CommandFailure invalidInput(String message) {
    return new CommandFailure(ExitCodes.INVALID_INPUT, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
