package dev.meshd.agent.auth;

/** What a gRPC method needs from its caller. */
public enum Permission {
  /** Read the fleet, policies, placements, drains, cluster status. */
  READ,
  /** Change policies and placements, drain and uncordon nodes. */
  WRITE,
  /** Change the Raft membership, take snapshots. */
  ADMIN,
  /** Agent-to-agent calls (forwarded writes, signal streams); never an operator's token. */
  INTERNAL
}
