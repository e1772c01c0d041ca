package dev.meshd.core.config;

import java.util.Objects;

/** One Raft voter, written {@code id@host:port} in the config. */
public record RaftPeer(String id, HostPort address) {
  public RaftPeer {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("peer id: empty (expected: id@host:port)");
    }
    Objects.requireNonNull(address, "address");
  }

  /** Parses {@code id@host:port}. */
  public static RaftPeer parse(String text) {
    int at = text == null ? -1 : text.indexOf('@');
    if (at <= 0) {
      throw new IllegalArgumentException("\"" + text + "\" (expected: id@host:port)");
    }
    return new RaftPeer(text.substring(0, at), HostPort.parse(text.substring(at + 1)));
  }

  @Override
  public String toString() {
    return id + "@" + address;
  }
}
