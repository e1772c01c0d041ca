package dev.meshd.raft;

/** A peer's role as it reports it; UNREACHABLE when it did not answer. */
public enum PeerRole {
  LEADER,
  FOLLOWER,
  CANDIDATE,
  /** Follows the log without voting. */
  LISTENER,
  UNREACHABLE
}
