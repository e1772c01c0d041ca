package dev.meshd.cli.nodes;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.GetNodeRequest;
import dev.meshd.proto.v1.MeshServiceGrpc;
import dev.meshd.proto.v1.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/** {@code mesh-cli describe-node ID}: MeshService.GetNode, every field of one node. */
@Command(
    name = "describe-node",
    mixinStandardHelpOptions = true,
    description = "Show everything the agent knows about one node.")
public final class DescribeNodeCommand extends AgentCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "The node id, as list-nodes shows it.")
  private String id;

  @Override
  protected void validate() {
    if (id.isBlank()) {
      // Caught here rather than by the agent so that bad input exits 2, as usage errors do.
      throw new ParameterException(spec().commandLine(), "ID: empty (expected: a node id)");
    }
  }

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    Node node =
        agent.unary(MeshServiceGrpc::newBlockingStub)
            .getNode(GetNodeRequest.newBuilder().setId(id).build());
    output.message(node, () -> NodeDescription.render(node, context.clock().instant()));
    return ExitCodes.OK;
  }
}
