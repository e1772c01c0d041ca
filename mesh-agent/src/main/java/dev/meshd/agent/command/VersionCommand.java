package dev.meshd.agent.command;

import dev.meshd.agent.AgentVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mesh-agent version}. */
@Command(name = "version", description = "Print the agent's version.")
public final class VersionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println("mesh-agent " + AgentVersion.get() + " (Java "
        + Runtime.version() + ")");
    return ExitCodes.OK;
  }
}
