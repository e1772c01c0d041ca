package dev.meshd.cli.policy;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.ListPoliciesRequest;
import dev.meshd.proto.v1.Policy;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh-cli policy list [--serializable]}: PolicyService.ListPolicies, sorted by name. JSON
 * and YAML print one array of policies (the list's store revision is what {@code policy watch}
 * starts from; it is not part of this output).
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List every policy, sorted by name.")
public final class ListPoliciesCommand extends AgentCommand {

  @Option(
      names = "--serializable",
      description = "Read the answering agent's copy (may be stale) instead of asking the leader.")
  private boolean serializable;

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    // Sorted here too, so that every format is stable whatever order the agent answers in.
    List<Policy> policies =
        agent.unary(PolicyServiceGrpc::newBlockingStub)
            .listPolicies(ListPoliciesRequest.newBuilder().setSerializable(serializable).build())
            .getPoliciesList()
            .stream()
            .sorted(Comparator.comparing(Policy::getName))
            .toList();
    output.list(policies, () -> PolicyTable.render(policies));
    return ExitCodes.OK;
  }
}
