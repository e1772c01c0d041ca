package dev.meshd.cli.nodes;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.command.ExpectedRevision;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.DeleteResponse;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import dev.meshd.proto.v1.UncordonNodeRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code mesh-cli uncordon NODE [--expected-revision N]}: PolicyService.UncordonNode, the end of
 * a {@code drain}. A node that is not drained is the agent's NOT_FOUND ({@code not found: node
 * "x" is not drained}, exit 1). Per-placement cordons are not touched.
 */
@Command(
    name = "uncordon",
    mixinStandardHelpOptions = true,
    description = "End a node's drain: routers send it new requests again.")
public final class UncordonCommand extends AgentCommand {

  @Mixin
  private NodeIdArgument node;

  @Mixin
  private ExpectedRevision expectedRevision;

  @Override
  protected void validate() {
    node.validate();
    expectedRevision.validate();
  }

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    UncordonNodeRequest.Builder request = UncordonNodeRequest.newBuilder().setNodeId(node.value());
    expectedRevision.ifPresent(request::setExpectedRevision);
    DeleteResponse uncordoned =
        agent.unary(PolicyServiceGrpc::newBlockingStub).uncordonNode(request.build());
    output.message(uncordoned, () -> "node \"" + node.value() + "\" uncordoned at revision "
        + uncordoned.getRevision() + "\n");
    return ExitCodes.OK;
  }
}
