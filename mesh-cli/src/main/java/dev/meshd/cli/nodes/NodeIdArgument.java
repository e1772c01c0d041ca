package dev.meshd.cli.nodes;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code NODE} argument of {@code drain} and {@code uncordon}. A picocli mixin, so both
 * refuse an empty id the same way (exit 2) instead of asking the agent. Written by the parser,
 * then only read.
 */
public final class NodeIdArgument {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NODE",
      description = "The node id, as list-nodes shows it.")
  private String id;

  /** Fails with a usage error (exit 2) when the id is blank. */
  public void validate() {
    if (id.isBlank()) {
      throw new ParameterException(spec.commandLine(), "NODE: empty (expected: a node id)");
    }
  }

  public String value() {
    return id;
  }
}
