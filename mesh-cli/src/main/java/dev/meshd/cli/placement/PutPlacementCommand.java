package dev.meshd.cli.placement;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.command.ExpectedRevision;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.input.DocumentFile;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.Placement;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import dev.meshd.proto.v1.PutPlacementRequest;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mesh-cli placement put -f FILE [--expected-revision N]}: PolicyService.PutPlacement with
 * the placement read from a YAML or JSON file (or stdin), checked before anything is sent. Layer
 * ranges and stage links are the store's to validate: it answers INVALID_ARGUMENT naming the field.
 */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = "Create or replace a placement from a YAML or JSON file.")
public final class PutPlacementCommand extends AgentCommand {

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      required = true,
      description = "The placement document, YAML or JSON; - reads stdin.")
  private String file;

  @Mixin
  private ExpectedRevision expectedRevision;

  private static final Metadata.Key<String> WARNING =
      Metadata.Key.of("meshd-warning", Metadata.ASCII_STRING_MARSHALLER);

  private Placement placement;

  @Override
  protected void validate() {
    expectedRevision.validate();
    placement = DocumentFile.read(file, context().in(), Placement.newBuilder()).build();
  }

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    PutPlacementRequest.Builder request = PutPlacementRequest.newBuilder().setPlacement(placement);
    expectedRevision.ifPresent(request::setExpectedRevision);
    AtomicReference<Metadata> headers = new AtomicReference<>();
    Placement stored = agent.unary(PolicyServiceGrpc::newBlockingStub)
        .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers,
            new AtomicReference<>()))
        .putPlacement(request.build());
    // Stored, but worth a look (e.g. a node the fleet does not know): stderr, exit 0.
    Iterable<String> warnings = headers.get() == null ? null : headers.get().getAll(WARNING);
    if (warnings != null) { // getAll answers null, not empty, when there is none
      warnings.forEach(w -> context.err().println("warning: " + w));
    }
    output.message(stored, () -> "placement \"" + stored.getName() + "\" stored at revision "
        + stored.getRevision() + "\n");
    return ExitCodes.OK;
  }
}
