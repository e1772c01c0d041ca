package dev.meshd.raft;

/** A file that is not a valid saved store: the message says what is wrong and where. */
public final class InvalidExportException extends Exception {

  public InvalidExportException(String message, Throwable cause) {
    super(message, cause);
  }
}
