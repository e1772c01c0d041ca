package dev.meshd.cli.raft;

import dev.meshd.cli.output.ProtoText;
import dev.meshd.cli.output.Table;
import dev.meshd.proto.v1.ClusterStatus;
import dev.meshd.proto.v1.RaftPeer;
import java.util.Comparator;

/**
 * The {@code raft status} text: one row per peer (NODE, ID, ADDRESS, ROLE, VOTER, COMMIT,
 * APPLIED, LAG), sorted by id, the leader's NODE marked with {@code *} so it stands out without
 * reading the ROLE column; then {@code term T, leader L, answered by A}. Stateless.
 */
final class ClusterStatusText {

  private ClusterStatusText() {}

  static String render(ClusterStatus status) {
    Table table = Table.withColumns(
        "NODE", "ID", "ADDRESS", "ROLE", "VOTER", "COMMIT", "APPLIED", "LAG");
    status.getPeersList().stream()
        .sorted(Comparator.comparing(RaftPeer::getId))
        .forEach(peer -> table.addRow(
            peer.getId() + (isLeader(status, peer) ? "*" : ""),
            peer.getId(),
            orDash(peer.getAddress()),
            ProtoText.shortName(peer.getRole(), peer.getRoleValue(), "PEER_ROLE_"),
            peer.getVoter() ? "yes" : "no",
            Long.toString(peer.getCommitIndex()),
            Long.toString(peer.getAppliedIndex()),
            Long.toString(peer.getLag())));
    return table.render()
        + "term " + status.getTerm()
        + ", leader " + (status.getLeaderId().isEmpty() ? "none" : status.getLeaderId())
        + ", answered by " + orDash(status.getAnsweredBy()) + "\n";
  }

  // leader_id is the group's word on who leads; a peer's role may lag behind it while an
  // election settles, and the star should agree with the footer line.
  private static boolean isLeader(ClusterStatus status, RaftPeer peer) {
    return !status.getLeaderId().isEmpty() && status.getLeaderId().equals(peer.getId());
  }

  private static String orDash(String value) {
    return value.isEmpty() ? "-" : value;
  }
}
