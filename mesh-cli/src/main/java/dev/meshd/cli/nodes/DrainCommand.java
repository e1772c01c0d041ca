package dev.meshd.cli.nodes;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.command.ExpectedRevision;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.DrainNodeRequest;
import dev.meshd.proto.v1.NodeDrain;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code mesh-cli drain NODE [--reason TEXT] [--expected-revision N]}: PolicyService.DrainNode.
 * Routers send the node no new requests; streams it already serves finish. Draining a drained
 * node again replaces the reason. A node the fleet does not know is drained anyway, with a
 * warning on stderr.
 */
@Command(
    name = "drain",
    mixinStandardHelpOptions = true,
    description = "Send a node no new requests (open streams finish); list-nodes shows it as "
        + "draining until uncordon.")
public final class DrainCommand extends AgentCommand {

  /** The store's limit (NodeDrainValidator), checked here so a long reason is a usage error. */
  static final int MAX_REASON_LENGTH = 256;

  private static final Metadata.Key<String> WARNING =
      Metadata.Key.of("meshd-warning", Metadata.ASCII_STRING_MARSHALLER);

  @Mixin
  private NodeIdArgument node;

  @Option(names = "--reason", paramLabel = "TEXT",
      description = "Why, for the next operator (one line, at most 256 characters).")
  private String reason = "";

  @Mixin
  private ExpectedRevision expectedRevision;

  @Override
  protected void validate() {
    node.validate();
    expectedRevision.validate();
    if (reason.length() > MAX_REASON_LENGTH) {
      throw new ParameterException(spec().commandLine(), "--reason: " + reason.length()
          + " characters (expected: at most " + MAX_REASON_LENGTH + ")");
    }
    if (reason.chars().anyMatch(Character::isISOControl)) {
      throw new ParameterException(spec().commandLine(),
          "--reason: contains a control character or line break (expected: one line of text)");
    }
  }

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    DrainNodeRequest.Builder request =
        DrainNodeRequest.newBuilder().setNodeId(node.value()).setReason(reason);
    expectedRevision.ifPresent(request::setExpectedRevision);
    AtomicReference<Metadata> headers = new AtomicReference<>();
    NodeDrain drained = agent.unary(PolicyServiceGrpc::newBlockingStub)
        .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers,
            new AtomicReference<>()))
        .drainNode(request.build());
    // Drained, but worth a look (a node the fleet does not know): stderr, exit 0.
    Iterable<String> warnings = headers.get() == null ? null : headers.get().getAll(WARNING);
    if (warnings != null) { // getAll answers null, not empty, when there is none
      warnings.forEach(w -> context.err().println("warning: " + w));
    }
    output.message(drained, () -> "node \"" + drained.getNodeId() + "\" draining at revision "
        + drained.getRevision() + "\n");
    return ExitCodes.OK;
  }
}
