package dev.meshd.cli.fabric;

import dev.meshd.cli.command.CommandGroup;
import picocli.CommandLine.Command;

/**
 * {@code mesh-cli fabric}: the stage links between pipeline stages (FabricService): what each
 * placement's links negotiated, and an operator's probe of the link to a peer node.
 */
@Command(
    name = "fabric",
    mixinStandardHelpOptions = true,
    description = "Show stage links and probe the fabric between two nodes.",
    subcommands = {LinksCommand.class, ProbeCommand.class})
public final class FabricCommand extends CommandGroup {}
