package dev.meshd.cli.policy;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.command.NameArgument;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.GetPolicyRequest;
import dev.meshd.proto.v1.Policy;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mesh-cli policy get NAME [--serializable]}: PolicyService.GetPolicy. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Show one policy.")
public final class GetPolicyCommand extends AgentCommand {

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
    Policy policy =
        agent.unary(PolicyServiceGrpc::newBlockingStub)
            .getPolicy(
                GetPolicyRequest.newBuilder()
                    .setName(name.value())
                    .setSerializable(serializable)
                    .build());
    output.message(policy, () -> PolicyDescription.render(policy));
    return ExitCodes.OK;
  }
}
