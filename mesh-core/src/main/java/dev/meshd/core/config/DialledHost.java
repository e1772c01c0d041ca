package dev.meshd.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A host at which other members dial this agent and check its TLS certificate, so that the
 * certificate must name it in a subjectAltName.
 *
 * @param host as the dialling side writes it (an IP literal or a name)
 * @param where what dials it there, for the message when the certificate lacks it
 */
record DialledHost(String host, String where) {

  /**
   * The hosts this agent is dialled at: its {@code listen.grpc} host (unless it binds every
   * interface: peers then dial the address the agent advertises, not known here) and, for a
   * control node, the host of its own entry in {@code raft.peers}, where the other voters dial.
   */
  static List<DialledHost> of(String nodeId, ListenConfig listen, List<RaftPeer> voters) {
    List<DialledHost> hosts = new ArrayList<>();
    if (!ListenSection.WILDCARDS.contains(listen.grpc().host())) {
      hosts.add(new DialledHost(listen.grpc().host(),
          "the host of listen.grpc, where the other agents and mesh-cli dial this agent"));
    }
    voters.stream().filter(p -> p.id().equals(nodeId)).findFirst()
        .map(self -> self.address().host())
        .filter(host -> hosts.stream().noneMatch(h -> h.host().equalsIgnoreCase(host)))
        .ifPresent(host -> hosts.add(new DialledHost(host, "the host of " + nodeId
            + "'s raft.peers entry, where the other voters dial this one")));
    return hosts;
  }
}
