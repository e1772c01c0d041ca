package dev.meshd.raft;

import java.util.Objects;
import java.util.Optional;

/**
 * One peer of the group as it reported itself.
 *
 * @param id its Raft peer id (the node id)
 * @param address host:port of its Raft endpoint
 * @param role its role; UNREACHABLE when it did not answer
 * @param voter whether it votes in the current configuration
 * @param commitIndex the highest index it knows committed; -1 when unknown
 * @param appliedIndex the highest index it applied; -1 when unknown
 * @param lag the leader's commit index minus this peer's applied index; -1 when unknown
 * @param problem why it did not answer
 */
public record PeerStatus(String id, String address, PeerRole role, boolean voter,
    long commitIndex, long appliedIndex, long lag, Optional<String> problem) {

  public PeerStatus {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(role, "role");
    problem = problem == null ? Optional.empty() : problem;
  }

  PeerStatus withLag(long newLag) {
    return new PeerStatus(id, address, role, voter, commitIndex, appliedIndex, newLag, problem);
  }
}
