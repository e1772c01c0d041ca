package dev.meshd.agent.control;

import java.nio.file.Path;

/**
 * Where {@code mesh-agent restore} leaves a saved snapshot for a control agent to write into its
 * empty store on its next start: {@code <raft.data-dir>/restore-seed.json}, renamed to {@code
 * .applied} or {@code .rejected} once handled so it is never applied twice.
 */
public final class StoreSeed {

  static final String FILE_NAME = "restore-seed.json";

  private StoreSeed() {}

  public static Path pending(Path dataDir) {
    return dataDir.resolve(FILE_NAME);
  }

  static Path applied(Path dataDir) {
    return dataDir.resolve(FILE_NAME + ".applied");
  }

  static Path rejected(Path dataDir) {
    return dataDir.resolve(FILE_NAME + ".rejected");
  }
}
