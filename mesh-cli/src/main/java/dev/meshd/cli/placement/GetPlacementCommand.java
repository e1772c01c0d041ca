package dev.meshd.cli.placement;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.command.NameArgument;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.GetPlacementRequest;
import dev.meshd.proto.v1.Placement;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mesh-cli placement get NAME [--serializable]}: PolicyService.GetPlacement, with each
 * stage link's negotiated transport and why faster ones were not used.
 */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Show one placement, its stages or replicas and its stage links.")
public final class GetPlacementCommand extends AgentCommand {

  @Mixin
  private NameArgument name;

  @Option(
      names = "--serializable",
      description = "Read the answering agent's copy (may be stale) instead of asking the leader.")
  private boolean serializable;

  @Override
  protected void validate() {
    name.validate();
  }

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    Placement placement =
        agent.unary(PolicyServiceGrpc::newBlockingStub)
            .getPlacement(
                GetPlacementRequest.newBuilder()
                    .setName(name.value())
                    .setSerializable(serializable)
                    .build());
    output.message(placement, () -> PlacementDescription.render(placement));
    return ExitCodes.OK;
  }
}
