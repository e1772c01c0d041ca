package dev.meshd.cli.raft;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.ClusterStatus;
import dev.meshd.proto.v1.GetClusterStatusRequest;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import picocli.CommandLine.Command;

/**
 * {@code mesh-cli raft status}: PolicyService.GetClusterStatus, the Raft group as the answering
 * agent sees it.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show the Raft peers, their roles and indexes, the leader and the term.")
public final class RaftStatusCommand extends AgentCommand {

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    ClusterStatus status =
        agent.unary(PolicyServiceGrpc::newBlockingStub)
            .getClusterStatus(GetClusterStatusRequest.getDefaultInstance());
    output.message(status, () -> ClusterStatusText.render(status));
    return ExitCodes.OK;
  }
}
