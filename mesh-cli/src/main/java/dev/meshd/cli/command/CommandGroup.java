package dev.meshd.cli.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Base of a verb group such as {@code policy} or {@code raft snapshot}: it does nothing itself,
 * so reaching it without a verb is a usage error (exit 2) that lists the verbs it has. The verbs
 * are named in the group's {@code @Command(subcommands = ...)}.
 */
public abstract class CommandGroup implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Override
  public final Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing command (expected one of: " + String.join(", ", spec.subcommands().keySet())
            + ")");
  }
}
