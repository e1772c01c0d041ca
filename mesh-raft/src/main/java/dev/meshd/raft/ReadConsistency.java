package dev.meshd.raft;

/** How a {@link RaftPolicyStore} answers reads. */
public enum ReadConsistency {
  /**
   * Through the leader with a ReadIndex round: a read sees every write acknowledged before it
   * started. Fails with {@code StoreUnavailableException} without a quorum.
   */
  LINEARIZABLE,
  /**
   * From the local replica: fast and available without a quorum, but may miss the latest writes.
   */
  SERIALIZABLE
}
