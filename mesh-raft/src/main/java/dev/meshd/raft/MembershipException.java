package dev.meshd.raft;

/**
 * A membership change the group refuses before trying it: a duplicate or unknown peer, removing
 * the last voter, a bad peer id. The message says what was expected; nothing changed.
 */
public final class MembershipException extends RuntimeException {

  public MembershipException(String message) {
    super(message);
  }
}
