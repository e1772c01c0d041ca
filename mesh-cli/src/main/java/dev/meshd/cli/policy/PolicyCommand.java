package dev.meshd.cli.policy;

import dev.meshd.cli.command.CommandGroup;
import picocli.CommandLine.Command;

/**
 * {@code mesh-cli policy}: the routing policies in the Raft store (PolicyService), and
 * {@code policy watch}, which follows changes of policies, placements and drains alike.
 */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Store, read, delete and watch routing policies.",
    subcommands = {
      PutPolicyCommand.class, GetPolicyCommand.class, ListPoliciesCommand.class,
      DeletePolicyCommand.class, WatchChangesCommand.class
    })
public final class PolicyCommand extends CommandGroup {}
