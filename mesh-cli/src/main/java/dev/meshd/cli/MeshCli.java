package dev.meshd.cli;

import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.CommandFailure;
import dev.meshd.cli.command.EnvironmentDefaults;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.command.GlobalOptions;
import dev.meshd.cli.connect.CallErrorMapper;
import io.grpc.StatusRuntimeException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code mesh-cli}, the operator's command line (DESIGN, "CLI"). {@link #main} runs one command
 * and exits with its code; {@link #run} does the same without exiting, for tests and embedding.
 * Exit codes and error lines follow DESIGN's "Contract details": 0 success, 1 the agent could
 * not be reached or refused the call (one line on stderr), 2 bad usage or invalid input. Stack
 * traces appear only with {@code --verbose}.
 */
public final class MeshCli {

  private MeshCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.getenv()));
  }

  /**
   * Runs one command against the system clock and a real network.
   *
   * @param env the environment, read for {@code MESHD_SERVER} and {@code MESHD_TOKEN}
   * @return the exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    return run(args, CliContext.of(out, err, env));
  }

  /** Runs one command in {@code context} (tests pass a fixed clock and in-process channels). */
  public static int run(String[] args, CliContext context) {
    RootCommand root = new RootCommand(context);
    CommandLine cli = new CommandLine(root);
    cli.setOut(writer(context.out()));
    cli.setErr(writer(context.err()));
    cli.setDefaultValueProvider(new EnvironmentDefaults(context.env()));
    cli.setParameterExceptionHandler(usageErrors());
    cli.setExecutionExceptionHandler(callFailures(root.options(), context.err()));
    cli.setExecutionStrategy(
        parseResult -> {
          // Before any gRPC class logs, and only now that --verbose is known.
          LibraryLogging.configure(root.options().verbose());
          return new RunLast().execute(parseResult);
        });
    return cli.execute(args);
  }

  private static IParameterExceptionHandler usageErrors() {
    return (error, args) -> {
      CommandLine failed = error.getCommandLine();
      PrintWriter err = failed.getErr();
      err.println(error.getMessage());
      UnmatchedArgumentException.printSuggestions(error, err);
      CommandSpec spec = failed.getCommandSpec();
      err.println("Try '" + spec.qualifiedName() + " --help' for more information.");
      return ExitCodes.INVALID_INPUT;
    };
  }

  private static IExecutionExceptionHandler callFailures(GlobalOptions options, PrintStream err) {
    return (failure, commandLine, parseResult) -> {
      int exitCode = ExitCodes.AGENT_FAILED;
      if (failure instanceof StatusRuntimeException call) {
        err.println(CallErrorMapper.describe(call, options.server(), options.timeout(),
            usesTls(options)));
      } else if (failure instanceof CommandFailure known) {
        // A verb's own verdict (a bad input file, a snapshot that failed its checksum): its line
        // as written, without the usage hint that picocli's usage errors carry.
        err.println(known.getMessage());
        exitCode = known.exitCode();
      } else {
        // Not a gRPC failure, so a fault of this program; still one line unless --verbose.
        err.println("mesh-cli: " + failure);
      }
      if (options.verbose()) {
        failure.printStackTrace(err);
      }
      err.flush();
      return exitCode;
    };
  }

  private static boolean usesTls(GlobalOptions options) {
    try {
      return options.tls().isPresent();
    } catch (IllegalArgumentException e) {
      return true; // half a client certificate: the call was never made
    }
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, stream.charset()), true);
  }
}
