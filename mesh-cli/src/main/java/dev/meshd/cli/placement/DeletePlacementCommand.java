package dev.meshd.cli.placement;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.command.ExpectedRevision;
import dev.meshd.cli.command.NameArgument;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.DeletePlacementRequest;
import dev.meshd.proto.v1.DeleteResponse;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code mesh-cli placement delete NAME [--expected-revision N]}: PolicyService.DeletePlacement.
 */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Delete one placement.")
public final class DeletePlacementCommand extends AgentCommand {

  @Mixin
  private NameArgument name;

  @Mixin
  private ExpectedRevision expectedRevision;

  @Override
  protected void validate() {
    name.validate();
    expectedRevision.validate();
  }

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    DeletePlacementRequest.Builder request =
        DeletePlacementRequest.newBuilder().setName(name.value());
    expectedRevision.ifPresent(request::setExpectedRevision);
    DeleteResponse deleted =
        agent.unary(PolicyServiceGrpc::newBlockingStub).deletePlacement(request.build());
    output.message(deleted, () -> "placement \"" + name.value() + "\" deleted at revision "
        + deleted.getRevision() + "\n");
    return ExitCodes.OK;
  }
}
