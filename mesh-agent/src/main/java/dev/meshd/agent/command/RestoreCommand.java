package dev.meshd.agent.command;

import dev.meshd.agent.control.StoreSeed;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.Role;
import dev.meshd.raft.InvalidExportException;
import dev.meshd.raft.StoreExport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mesh-agent restore --config FILE SNAPSHOT}: seeds a stopped control node's empty Raft
 * data directory with a snapshot saved by {@code mesh-cli raft snapshot save}. The agent writes
 * it through Raft on its next start (so every voter gets it), and only into an empty store: the
 * recovery path after the group lost its quorum for good (see docs/operations.md).
 */
@Command(name = "restore",
    description = "Seed a stopped control node's empty store with a saved snapshot; the agent "
        + "writes it through Raft on its next start.")
public final class RestoreCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigFileOption config;

  @Parameters(index = "0", paramLabel = "SNAPSHOT",
      description = "File written by `mesh-cli raft snapshot save`.")
  Path snapshot;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AgentConfig loaded = ConfigFiles.loadOrReport(config.file, err);
    if (loaded == null) {
      return ExitCodes.INVALID_INPUT;
    }
    if (!loaded.node().roles().contains(Role.CONTROL)) {
      err.printf("mesh-agent restore: %s: node.roles of %s lacks control; only control nodes "
          + "hold the policy store%n", config.file, loaded.node().id());
      return ExitCodes.INVALID_INPUT;
    }
    StoreExport export;
    try {
      export = StoreExport.parse(Files.readAllBytes(snapshot));
    } catch (NoSuchFileException e) {
      err.printf("mesh-agent restore: %s: no such file%n", snapshot);
      return ExitCodes.INVALID_INPUT;
    } catch (IOException e) {
      err.printf("mesh-agent restore: %s: %s%n", snapshot, e.getMessage());
      return ExitCodes.INVALID_INPUT;
    } catch (InvalidExportException e) {
      err.printf("mesh-agent restore: %s: not a meshd snapshot: %s%n", snapshot, e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    Path dataDir = loaded.raft().dataDir();
    try {
      List<String> state = existingState(dataDir);
      if (!state.isEmpty()) {
        err.printf("mesh-agent restore: raft.data-dir %s already holds Raft state (%s); restore "
            + "seeds an empty store only: stop the agent and move the directory away first%n",
            dataDir, String.join(", ", state));
        return ExitCodes.INVALID_INPUT;
      }
      Files.createDirectories(dataDir);
      Path seed = StoreSeed.pending(dataDir);
      Path tmp = seed.resolveSibling(seed.getFileName() + ".tmp");
      Files.write(tmp, export.json());
      Files.move(tmp, seed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      out.printf("seeded %s with %s (revision %d, %d documents)%n", seed, snapshot,
          export.revision(), export.documentCount());
      out.printf("start the agent (mesh-agent start --config %s): it writes the snapshot through "
          + "Raft once the group has a leader%n", config.file);
      return ExitCodes.OK;
    } catch (IOException e) {
      err.printf("mesh-agent restore: raft.data-dir %s: %s%n", dataDir, e);
      return ExitCodes.UNAVAILABLE;
    }
  }

  /** Entries of the data dir other than a pending seed: Ratis keeps one directory per group. */
  private static List<String> existingState(Path dataDir) throws IOException {
    if (!Files.isDirectory(dataDir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dataDir)) {
      return entries.map(p -> p.getFileName().toString())
          .filter(name -> !name.startsWith("restore-seed.json"))
          .sorted()
          .toList();
    }
  }
}
