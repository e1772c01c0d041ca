package dev.meshd.cli.raft;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.CommandFailure;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.cli.raft.SnapshotDownload.Saved;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import dev.meshd.proto.v1.SaveSnapshotRequest;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mesh-cli raft snapshot save FILE [--force]}: PolicyService.SaveSnapshot, a consistent
 * copy of the whole store written to FILE only once its SHA-256 checks out (see
 * {@link SnapshotDownload}). {@code mesh-agent restore} seeds a stopped control node from it.
 */
@Command(
    name = "save",
    mixinStandardHelpOptions = true,
    description = "Save a consistent copy of the policy store to FILE (admin).")
public final class SaveSnapshotCommand extends AgentCommand {

  @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the snapshot.")
  private String file;

  @Option(names = "--force", description = "Overwrite FILE if it exists.")
  private boolean force;

  private Path target;

  @Override
  protected void validate() {
    try {
      target = Path.of(file);
    } catch (InvalidPathException e) {
      throw CommandFailure.invalidInput(file + ": not a valid path");
    }
    if (file.isBlank() || Files.isDirectory(target)) {
      throw CommandFailure.invalidInput(file + ": is a directory (expected: a file name)");
    }
    if (!force && Files.exists(target)) {
      // Refused before the agent does any work: an old snapshot may be the only good copy.
      throw CommandFailure.invalidInput(file + ": already exists (use --force to overwrite)");
    }
    Path directory = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(directory)) {
      throw CommandFailure.invalidInput(file + ": directory " + directory + " does not exist");
    }
  }

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    // With the --timeout deadline over the whole stream: the store holds policies and
    // placements, a few megabytes at most, and a stalled agent must not hang an admin's script.
    Saved saved =
        new SnapshotDownload(target, force)
            .save(agent.unary(PolicyServiceGrpc::newBlockingStub)
                .saveSnapshot(SaveSnapshotRequest.getDefaultInstance()));
    output.document(document(saved), () -> "snapshot at revision " + saved.revision()
        + " saved to " + file + " (" + saved.bytes() + " bytes, sha256 " + saved.sha256()
        + ")\n");
    return ExitCodes.OK;
  }

  /** Named and typed as the protobuf JSON mapping would (int64 as strings), like other output. */
  private ObjectNode document(Saved saved) {
    return JsonNodeFactory.instance.objectNode()
        .put("file", file)
        .put("revision", Long.toString(saved.revision()))
        .put("bytes", Long.toString(saved.bytes()))
        .put("sha256", saved.sha256());
  }
}
