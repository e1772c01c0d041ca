package dev.meshd.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Quiets the java.util.logging output of gRPC and Netty. An unreachable agent makes them log
 * warnings with stack traces, which would bury the one line the CLI promises on stderr;
 * {@code --verbose} lets them through.
 */
final class LibraryLogging {

  private LibraryLogging() {}

  static void configure(boolean verbose) {
    // The root logger: gRPC and shaded Netty log through child loggers that inherit its level.
    Logger.getLogger("").setLevel(verbose ? Level.INFO : Level.OFF);
  }
}
