package dev.meshd.cli.raft;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.ClusterStatus;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import dev.meshd.proto.v1.RemoveRaftPeerRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code mesh-cli raft remove-peer ID}: PolicyService.RemoveRaftPeer, a Raft membership change
 * that removes a peer; prints the group as it is afterwards.
 */
@Command(
    name = "remove-peer",
    mixinStandardHelpOptions = true,
    description = "Remove a peer from the Raft group (admin).")
public final class RemovePeerCommand extends AgentCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "The peer's id, as raft status shows.")
  private String id;

  @Override
  protected void validate() {
    if (id.isBlank()) {
      throw new ParameterException(spec().commandLine(), "ID: empty (expected: a peer id)");
    }
  }

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    ClusterStatus status =
        agent.unary(PolicyServiceGrpc::newBlockingStub)
            .removeRaftPeer(RemoveRaftPeerRequest.newBuilder().setId(id).build());
    output.message(status, () -> "peer \"" + id + "\" removed\n"
        + ClusterStatusText.render(status));
    return ExitCodes.OK;
  }
}
