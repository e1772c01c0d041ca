package dev.meshd.cli.command;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code NAME} of a stored document, the one positional argument of {@code get} and
 * {@code delete}. A picocli mixin, so every such verb refuses an empty name the same way (exit 2)
 * instead of asking the agent for it. Written by the parser, then only read.
 */
public final class NameArgument {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The name, as list shows it.")
  private String name;

  /** Fails with a usage error (exit 2) when the name is blank. */
  public void validate() {
    if (name.isBlank()) {
      throw new ParameterException(spec.commandLine(), "NAME: empty (expected: a name)");
    }
  }

  public String value() {
    return name;
  }
}
