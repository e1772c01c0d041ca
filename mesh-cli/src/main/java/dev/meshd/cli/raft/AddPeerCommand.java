package dev.meshd.cli.raft;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.AddRaftPeerRequest;
import dev.meshd.proto.v1.ClusterStatus;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code mesh-cli raft add-peer ID@HOST:PORT}: PolicyService.AddRaftPeer, a Raft membership
 * change that adds a voter; prints the group as it is afterwards.
 */
@Command(
    name = "add-peer",
    mixinStandardHelpOptions = true,
    description = "Add a voter to the Raft group (admin).")
public final class AddPeerCommand extends AgentCommand {

  @Parameters(
      index = "0",
      paramLabel = "ID@HOST:PORT",
      converter = PeerSpec.Converter.class,
      description = "The new peer's node id and Raft endpoint, e.g. node4@10.0.0.4:7071.")
  private PeerSpec peer;

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    ClusterStatus status =
        agent.unary(PolicyServiceGrpc::newBlockingStub)
            .addRaftPeer(
                AddRaftPeerRequest.newBuilder()
                    .setId(peer.id())
                    .setAddress(peer.address().toString())
                    .build());
    output.message(status, () -> "peer \"" + peer.id() + "\" added at " + peer.address() + "\n"
        + ClusterStatusText.render(status));
    return ExitCodes.OK;
  }
}
