package dev.meshd.cli.placement;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.ListPlacementsRequest;
import dev.meshd.proto.v1.Placement;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh-cli placement list [--serializable]}: PolicyService.ListPlacements, sorted by name;
 * JSON and YAML print one array of placements.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List every placement, sorted by name.")
public final class ListPlacementsCommand extends AgentCommand {

  @Option(
      names = "--serializable",
      description = "Read the answering agent's copy (may be stale) instead of asking the leader.")
  private boolean serializable;

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    // Sorted here too, so that every format is stable whatever order the agent answers in.
    List<Placement> placements =
        agent.unary(PolicyServiceGrpc::newBlockingStub)
            .listPlacements(
                ListPlacementsRequest.newBuilder().setSerializable(serializable).build())
            .getPlacementsList()
            .stream()
            .sorted(Comparator.comparing(Placement::getName))
            .toList();
    output.list(placements, () -> PlacementTable.render(placements));
    return ExitCodes.OK;
  }
}
