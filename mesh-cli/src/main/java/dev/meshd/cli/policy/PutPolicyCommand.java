package dev.meshd.cli.policy;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.command.ExpectedRevision;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.input.DocumentFile;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.Policy;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import dev.meshd.proto.v1.PutPolicyRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mesh-cli policy put -f FILE [--expected-revision N]}: PolicyService.PutPolicy with the
 * policy read from a YAML or JSON file (or stdin). The file is read and checked before anything
 * is sent, so a bad file exits 2 and leaves the store alone.
 */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = "Create or replace a policy from a YAML or JSON file.")
public final class PutPolicyCommand extends AgentCommand {

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      required = true,
      description = "The policy document, YAML or JSON; - reads stdin.")
  private String file;

  @Mixin
  private ExpectedRevision expectedRevision;

  private Policy policy;

  @Override
  protected void validate() {
    expectedRevision.validate();
    policy = DocumentFile.read(file, context().in(), Policy.newBuilder()).build();
  }

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    PutPolicyRequest.Builder request = PutPolicyRequest.newBuilder().setPolicy(policy);
    expectedRevision.ifPresent(request::setExpectedRevision);
    Policy stored = agent.unary(PolicyServiceGrpc::newBlockingStub).putPolicy(request.build());
    output.message(stored, () -> "policy \"" + stored.getName() + "\" stored at revision "
        + stored.getRevision() + "\n");
    return ExitCodes.OK;
  }
}
