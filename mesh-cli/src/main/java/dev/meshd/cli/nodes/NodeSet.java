package dev.meshd.cli.nodes;

import dev.meshd.proto.v1.Node;
import dev.meshd.proto.v1.NodeEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The nodes that {@code list-nodes --watch} shows, kept current from {@link NodeEvent}s: ADDED,
 * UPDATED and STATE_CHANGED replace the node by id, REMOVED forgets it. Events are upserts, so
 * one the agent sends twice (it may, around the initial snapshot) changes nothing. Not
 * thread-safe: owned by the thread that reads the stream.
 */
final class NodeSet {

  private final Map<String, Node> byId = new TreeMap<>();

  NodeSet(List<Node> initial) {
    initial.forEach(node -> byId.put(node.getId(), node));
  }

  /** Applies one event; an event of a type this CLI does not know is ignored. */
  void apply(NodeEvent event) {
    Node node = event.getNode();
    switch (event.getType()) {
      case NODE_EVENT_TYPE_ADDED, NODE_EVENT_TYPE_UPDATED, NODE_EVENT_TYPE_STATE_CHANGED ->
          byId.put(node.getId(), node);
      case NODE_EVENT_TYPE_REMOVED -> byId.remove(node.getId());
      case NODE_EVENT_TYPE_SYNCED, NODE_EVENT_TYPE_UNSPECIFIED, UNRECOGNIZED -> {
        // A newer agent's event type: the next known event carries the node's state anyway.
      }
    }
  }

  /** Replaces every node with a fresh listing (which carries current load figures). */
  void replaceAll(List<Node> listed) {
    byId.clear();
    listed.forEach(node -> byId.put(node.getId(), node));
  }

  /** The nodes, sorted by id; a view that changes with {@link #apply}. */
  Collection<Node> nodes() {
    return byId.values();
  }
}
