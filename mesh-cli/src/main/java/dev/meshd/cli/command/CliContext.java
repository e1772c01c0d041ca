package dev.meshd.cli.command;

import dev.meshd.cli.connect.ChannelFactory;
import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a command touches outside its arguments: stdin, the output streams, the
 * environment, the clock, how channels to the agent are opened and whether stdout is a terminal.
 * Tests pass their own (a fixed clock, in-process channels, a scripted stdin) so that no command
 * reads process-wide state. Immutable.
 *
 * @param in what {@code -f -} reads
 * @param out where results go
 * @param err where the one-line error reports go
 * @param env the environment variables ({@code MESHD_SERVER}, {@code MESHD_TOKEN})
 * @param clock the time that ages are computed against
 * @param channels opens the channel to the agent when no TLS option is given (TLS channels are
 *     always Netty's, see {@code AgentCommand})
 * @param stdoutIsTerminal whether {@code --watch} may clear the screen between redraws
 */
public record CliContext(
    InputStream in,
    PrintStream out,
    PrintStream err,
    Map<String, String> env,
    Clock clock,
    ChannelFactory channels,
    boolean stdoutIsTerminal) {

  public CliContext {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    env = Map.copyOf(Objects.requireNonNull(env, "env"));
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(channels, "channels");
  }

  /**
   * The context of a real invocation: the process's stdin, the system clock, plaintext Netty
   * channels (the TLS options replace them with TLS ones), and terminal detection for
   * {@code out} when it is the process's stdout.
   */
  public static CliContext of(PrintStream out, PrintStream err, Map<String, String> env) {
    return new CliContext(
        System.in, out, err, env, Clock.systemUTC(), ChannelFactory.plaintext(),
        out == System.out && processHasTerminal());
  }

  private static boolean processHasTerminal() {
    Console console = System.console();
    // Since JDK 22 System.console() may be non-null with redirected streams; isTerminal() tells.
    return console != null && console.isTerminal();
  }
}
