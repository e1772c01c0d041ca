package dev.meshd.cli.command;

import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.connect.ChannelFactory;
import dev.meshd.cli.connect.TlsSettings;
import dev.meshd.cli.output.Output;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every verb that calls the agent: opens one connection from the global options, hands
 * it to {@link #run}, and closes it however {@code run} ends. A new verb extends this class, adds
 * its own options and is listed in the root command's {@code subcommands}.
 *
 * <p>gRPC failures are left to propagate as {@link io.grpc.StatusRuntimeException}: the root
 * turns them into the one-line report and exit code of DESIGN's "Contract details", so verbs do
 * not each format errors.
 */
public abstract class AgentCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Override
  public final Integer call() {
    validate();
    CommandRoot root = (CommandRoot) spec.root().userObject();
    GlobalOptions options = root.options();
    CliContext context = root.context();
    Output output = new Output(options.output(), context.out());
    try (AgentConnection agent =
        AgentConnection.open(
            channels(options, context), options.server(), options.token(), options.timeout())) {
      return run(agent, output, context);
    }
  }

  /**
   * The context's channels (plaintext; in-process in tests), or TLS channels when a TLS option
   * was given. TLS files are read here, before anything is sent, and a bad one is invalid input.
   */
  private ChannelFactory channels(GlobalOptions options, CliContext context) {
    Optional<TlsSettings> tls;
    try {
      tls = options.tls();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (tls.isEmpty()) {
      return context.channels();
    }
    try {
      return ChannelFactory.tls(tls.get().credentials());
    } catch (IllegalArgumentException e) {
      throw CommandFailure.invalidInput(e.getMessage());
    }
  }

  /**
   * The context of this invocation, for {@link #validate()} (which reads input files, and
   * {@code -f -} reads stdin) before {@link #run} is handed the same context.
   */
  protected final CliContext context() {
    return ((CommandRoot) spec.root().userObject()).context();
  }

  /** The picocli model of this verb, for usage errors that name it. */
  protected final CommandSpec spec() {
    return spec;
  }

  /**
   * Checks the verb's own arguments, and reads the files they name, before anything is sent;
   * throw a {@link picocli.CommandLine.ParameterException} (exit 2, with a usage hint) for bad
   * arguments or a {@link CommandFailure} (its own exit code and line) for a bad file. Does
   * nothing unless overridden.
   */
  protected void validate() {}

  /**
   * Does the verb's work and returns its exit code.
   *
   * @param agent the open connection; closed by the caller
   * @param output formats results in the format chosen by {@code -o}
   * @param context clock, terminal detection and streams of this invocation
   */
  protected abstract int run(AgentConnection agent, Output output, CliContext context);
}
