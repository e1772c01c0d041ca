package dev.meshd.cli.raft;

import dev.meshd.cli.command.CommandGroup;
import picocli.CommandLine.Command;

/** {@code mesh-cli raft snapshot}: copies of the whole store. */
@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    description = "Copies of the whole policy store.",
    subcommands = {SaveSnapshotCommand.class})
public final class SnapshotCommand extends CommandGroup {}
