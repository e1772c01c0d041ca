package dev.meshd.cli;

import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.CommandRoot;
import dev.meshd.cli.command.GlobalOptions;
import dev.meshd.cli.fabric.FabricCommand;
import dev.meshd.cli.nodes.DescribeNodeCommand;
import dev.meshd.cli.nodes.DrainCommand;
import dev.meshd.cli.nodes.ListNodesCommand;
import dev.meshd.cli.nodes.UncordonCommand;
import dev.meshd.cli.placement.PlacementCommand;
import dev.meshd.cli.policy.PolicyCommand;
import dev.meshd.cli.raft.RaftCommand;
import dev.meshd.cli.route.RouteCommand;
import dev.meshd.cli.stats.StatsCommand;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mesh-cli} itself: the global options and the list of verbs. A new verb is one class
 * (extending {@link dev.meshd.cli.command.AgentCommand}) added to {@code subcommands}; a verb
 * group such as {@code policy} is a class with its own {@code subcommands}.
 */
@Command(
    name = "mesh-cli",
    mixinStandardHelpOptions = true,
    versionProvider = CliVersion.class,
    description = "Operate a meshd serving mesh through any agent's gRPC API.",
    subcommands = {
      ListNodesCommand.class, DescribeNodeCommand.class, StatsCommand.class,
      PolicyCommand.class, PlacementCommand.class, DrainCommand.class, UncordonCommand.class,
      RouteCommand.class, FabricCommand.class, RaftCommand.class
    })
final class RootCommand implements Callable<Integer>, CommandRoot {

  @Mixin
  private final GlobalOptions options = new GlobalOptions();

  @Spec
  private CommandSpec spec;

  private final CliContext context;

  RootCommand(CliContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  @Override
  public GlobalOptions options() {
    return options;
  }

  @Override
  public CliContext context() {
    return context;
  }

  /** Reached only when no verb was given: a usage error. */
  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing command (expected one of: " + String.join(", ", spec.subcommands().keySet())
            + ")");
  }
}
