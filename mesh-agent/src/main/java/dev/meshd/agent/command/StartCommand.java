package dev.meshd.agent.command;

import dev.meshd.agent.AgentStartException;
import dev.meshd.agent.MeshAgent;
import dev.meshd.agent.logging.LoggingSetup;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.gpu.GpuProbes;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mesh-agent start --config FILE}: runs until SIGTERM or Ctrl-C. */
@Command(name = "start", description = "Start the agent and run until SIGTERM or Ctrl-C.")
public final class StartCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigFileOption config;

  @Override
  public Integer call() {
    AgentConfig agentConfig = ConfigFiles.loadOrReport(config.file, spec.commandLine().getErr());
    if (agentConfig == null) {
      return ExitCodes.INVALID_INPUT;
    }
    LoggingSetup.apply(agentConfig.logging());
    MeshAgent agent =
        new MeshAgent(agentConfig,
            GpuProbes.fromConfig(agentConfig.gpus(), agentConfig.node().id()),
            Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              agent.close();
              stopped.countDown();
            },
            "meshd-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      agent.start();
    } catch (AgentStartException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("mesh-agent: " + e.getMessage());
      return ExitCodes.UNAVAILABLE;
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCodes.OK;
  }
}
