package dev.meshd.cli.fabric;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.FabricServiceGrpc;
import dev.meshd.proto.v1.ListLinksRequest;
import dev.meshd.proto.v1.PlacementLink;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh-cli fabric links [--placement NAME]}: FabricService.ListLinks, one row per stage
 * link, sorted by placement then stage; JSON and YAML print one array of links.
 */
@Command(
    name = "links",
    mixinStandardHelpOptions = true,
    description = "List the stage links of every pipelined placement: the transport each"
        + " negotiated, its measured bandwidth and RTT, its state and why.")
public final class LinksCommand extends AgentCommand {

  @Option(names = "--placement", paramLabel = "NAME", defaultValue = "",
      description = "Only this placement's links.")
  private String placement;

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    List<PlacementLink> links = agent.unary(FabricServiceGrpc::newBlockingStub)
        .listLinks(ListLinksRequest.newBuilder().setPlacement(placement.strip()).build())
        .getLinksList()
        .stream()
        .sorted(Comparator.comparing(PlacementLink::getPlacement)
            .thenComparingLong(l -> Integer.toUnsignedLong(l.getFromStage())))
        .toList();
    output.list(links, () -> LinkTable.render(links));
    return ExitCodes.OK;
  }
}
