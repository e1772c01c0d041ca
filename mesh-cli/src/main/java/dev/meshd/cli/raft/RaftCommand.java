package dev.meshd.cli.raft;

import dev.meshd.cli.command.CommandGroup;
import picocli.CommandLine.Command;

/**
 * {@code mesh-cli raft}: the Raft group of the control nodes that holds the policy store. Every
 * verb but {@code status} is an admin operation.
 */
@Command(
    name = "raft",
    mixinStandardHelpOptions = true,
    description = "Inspect and change the Raft group of the control nodes.",
    subcommands = {
      RaftStatusCommand.class, AddPeerCommand.class, RemovePeerCommand.class,
      SnapshotCommand.class
    })
public final class RaftCommand extends CommandGroup {}
