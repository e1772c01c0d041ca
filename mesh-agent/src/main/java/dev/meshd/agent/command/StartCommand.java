package dev.meshd.agent.command;

import dev.meshd.agent.AgentStartException;
import dev.meshd.agent.MeshAgent;
import dev.meshd.agent.logging.LoggingSetup;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.gpu.GpuProbes;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mesh-agent start --config FILE}: runs until SIGTERM or Ctrl-C. */
@Command(name = "start", description = "Start the agent and run until SIGTERM or Ctrl-C.")
public final class StartCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigFileOption config;

  @Option(names = "--exit-with-parent",
      description = "Stop (as on SIGTERM: leave the cluster, drain, exit 0) when the process "
          + "that started this one exits, even by SIGKILL: for supervisors and test harnesses "
          + "whose children must not outlive them.")
  boolean exitWithParent;

  @Override
  public Integer call() {
    // Taken first: a parent that dies while the agent starts would leave it reparented.
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
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
    if (exitWithParent) {
      ParentWatch.onExit(parent, () -> System.exit(ExitCodes.OK));
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCodes.OK;
  }
}
