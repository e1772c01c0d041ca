package dev.meshd.cli.stats;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.GetStatsRequest;
import dev.meshd.proto.v1.MeshServiceGrpc;
import dev.meshd.proto.v1.Stats;
import picocli.CommandLine.Command;

/** {@code mesh-cli stats}: MeshService.GetStats, the counters of the answering agent. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Show the counters of the agent that answers.")
public final class StatsCommand extends AgentCommand {

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    Stats stats =
        agent.unary(MeshServiceGrpc::newBlockingStub)
            .getStats(GetStatsRequest.getDefaultInstance());
    output.message(stats, () -> StatsDescription.render(stats));
    return ExitCodes.OK;
  }
}
