package dev.meshd.agent.command;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code start --exit-with-parent}: runs an action once the process that started this one has
 * exited, however it ended (a SIGKILLed parent runs no cleanup of its own). The JDK watches the
 * parent ({@link ProcessHandle#onExit}); no polling here.
 */
final class ParentWatch {

  private static final Logger LOG = LoggerFactory.getLogger(ParentWatch.class);

  private ParentWatch() {}

  /** Runs {@code action} when {@code parent} exits (at once if it already has). */
  static void onExit(Optional<ProcessHandle> parent, Runnable action) {
    parent.ifPresentOrElse(p -> {
      long pid = p.pid();
      p.onExit().thenRun(() -> {
        LOG.info("parent process {} exited: stopping (--exit-with-parent)", pid);
        action.run();
      });
    }, () -> LOG.warn("--exit-with-parent: this process has no parent to watch"));
  }
}
