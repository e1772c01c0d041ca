package dev.meshd.raft;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Raft group as its peers report it.
 *
 * @param answeredBy the node id of the voter that collected the answers
 * @param leaderId the leader, if any peer knows one
 * @param term the highest term reported
 * @param peers every peer of the current configuration, sorted by id
 */
public record GroupStatus(String answeredBy, Optional<String> leaderId, long term,
    List<PeerStatus> peers) {

  public GroupStatus {
    Objects.requireNonNull(answeredBy, "answeredBy");
    leaderId = leaderId == null ? Optional.empty() : leaderId;
    peers = List.copyOf(peers);
  }
}
