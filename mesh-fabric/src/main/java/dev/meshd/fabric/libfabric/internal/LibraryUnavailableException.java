package dev.meshd.fabric.libfabric.internal;

/**
 * {@code libfabric.so.1} could not be loaded, or lacks a function meshd binds: the node has no
 * usable libfabric. Callers turn it into a reason ({@code library_missing}), never a crash.
 */
public final class LibraryUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public LibraryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
