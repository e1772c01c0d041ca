package dev.meshd.agent;

import dev.meshd.router.ingress.IngressServer;

import dev.meshd.agent.command.ExitCodes;
import dev.meshd.agent.command.KeygenCommand;
import dev.meshd.agent.command.RestoreCommand;
import dev.meshd.agent.command.StartCommand;
import dev.meshd.agent.command.ValidateCommand;
import dev.meshd.agent.command.VersionCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mesh-agent}: the daemon's command line. */
@Command(
    name = "mesh-agent",
    mixinStandardHelpOptions = true,
    versionProvider = MeshAgentMain.Version.class,
    description = "meshd agent: one per GPU node.",
    subcommands = {
      StartCommand.class, ValidateCommand.class, RestoreCommand.class, KeygenCommand.class,
      VersionCommand.class
    })
public final class MeshAgentMain {

  public static void main(String[] args) {
    IngressServer.enableNoDelay();
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs a command and returns its exit code; never prints a stack trace unless --verbose. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    String[] rest =
        java.util.Arrays.stream(args).filter(a -> !a.equals("--verbose")).toArray(String[]::new);
    CommandLine cli = new CommandLine(new MeshAgentMain());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (ex, ignored) -> {
          err.println("mesh-agent: " + ex.getMessage());
          err.println("Try 'mesh-agent --help'.");
          return ExitCodes.INVALID_INPUT;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          err.println("mesh-agent: " + ex.getMessage());
          if (verbose) {
            ex.printStackTrace(err);
          }
          return ExitCodes.UNAVAILABLE;
        });
    if (rest.length == 0) {
      cli.usage(err);
      return ExitCodes.INVALID_INPUT;
    }
    return cli.execute(rest);
  }

  /** Supplies {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"mesh-agent " + AgentVersion.get()};
    }
  }
}
