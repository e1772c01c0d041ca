package dev.meshd.agent.command;

import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.Role;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code mesh-agent validate --config FILE}: exit 0, or 2 with every error. */
@Command(name = "validate", description = "Check a config file; exit 0, or 2 with the errors.")
public final class ValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigFileOption config;

  @Override
  public Integer call() {
    AgentConfig loaded = ConfigFiles.loadOrReport(config.file, spec.commandLine().getErr());
    if (loaded == null) {
      return ExitCodes.INVALID_INPUT;
    }
    spec.commandLine().getOut().printf("ok: %s (node %s, roles %s, gpus %s)%n", config.file,
        loaded.node().id(),
        loaded.node().roles().stream().map(Role::configName).sorted()
            .collect(Collectors.joining(",")),
        loaded.gpus().source().configName());
    return ExitCodes.OK;
  }
}
