package dev.meshd.core.config;

import java.util.Objects;

/**
 * {@code listen:} where the agent's servers bind. Defaults are loopback on the DESIGN ports:
 * gRPC 7070, Raft 7071, fabric (QUIC, UDP) 7072, gossip 7946, metrics 9464, router 8080.
 * Two TCP listeners may not share a port (fabric is UDP and may share a number with a TCP one).
 */
public record ListenConfig(
    HostPort grpc, HostPort gossip, HostPort raft, HostPort metrics, HostPort router,
    HostPort fabric) {
  public ListenConfig {
    Objects.requireNonNull(grpc, "grpc");
    Objects.requireNonNull(gossip, "gossip");
    Objects.requireNonNull(raft, "raft");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(fabric, "fabric");
  }
}
