package dev.meshd.cli.policy;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.command.ExpectedRevision;
import dev.meshd.cli.command.NameArgument;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.DeletePolicyRequest;
import dev.meshd.proto.v1.DeleteResponse;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mesh-cli policy delete NAME [--expected-revision N]}: PolicyService.DeletePolicy. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Delete one policy.")
public final class DeletePolicyCommand extends AgentCommand {

  @Mixin
  private NameArgument name;

  @Mixin
  private ExpectedRevision expectedRevision;

  @Override
  protected void validate() {
    name.validate();
    expectedRevision.validate();
  }

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    DeletePolicyRequest.Builder request = DeletePolicyRequest.newBuilder().setName(name.value());
    expectedRevision.ifPresent(request::setExpectedRevision);
    DeleteResponse deleted =
        agent.unary(PolicyServiceGrpc::newBlockingStub).deletePolicy(request.build());
    output.message(deleted, () -> "policy \"" + name.value() + "\" deleted at revision "
        + deleted.getRevision() + "\n");
    return ExitCodes.OK;
  }
}
