package dev.meshd.cli.placement;

import dev.meshd.cli.command.CommandGroup;
import picocli.CommandLine.Command;

/**
 * {@code mesh-cli placement}: which nodes and GPUs serve a model (replicas or pipeline stages),
 * stored in the Raft store through PolicyService. {@code policy watch} follows their changes.
 */
@Command(
    name = "placement",
    mixinStandardHelpOptions = true,
    description = "Store, read and delete model placements.",
    subcommands = {
      PutPlacementCommand.class, GetPlacementCommand.class, ListPlacementsCommand.class,
      DeletePlacementCommand.class
    })
public final class PlacementCommand extends CommandGroup {}
