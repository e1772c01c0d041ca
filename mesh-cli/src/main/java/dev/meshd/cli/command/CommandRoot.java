package dev.meshd.cli.command;

/**
 * The top-level command as its verbs see it: the parsed global options and the invocation's
 * context. Verbs reach it through {@code spec.root().userObject()}, so a verb nested at any depth
 * ({@code policy put}, {@code raft snapshot save}) finds it the same way.
 */
public interface CommandRoot {

  /** The global options, parsed; only read them while a command executes. */
  GlobalOptions options();

  CliContext context();
}
