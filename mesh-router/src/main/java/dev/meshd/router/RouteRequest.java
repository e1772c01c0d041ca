package dev.meshd.router;

import java.util.Objects;
import java.util.Optional;

/**
 * What the router knows about a request before choosing a target.
 *
 * @param model requested model name
 * @param tenant who sends it (for per-tenant limits); empty when unknown
 * @param promptTokens prompt size, 0 when unknown
 * @param maxTokens requested output bound, 0 when unknown
 * @param origin where the request entered the mesh, for locality; empty when unknown
 */
public record RouteRequest(
    String model, String tenant, int promptTokens, int maxTokens, Optional<Origin> origin) {

  public RouteRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(origin, "origin");
  }

  public static RouteRequest of(String model) {
    return new RouteRequest(model, "", 0, 0, Optional.empty());
  }

  /** The node, host, zone and region a request came in at. */
  public record Origin(String nodeId, String hostId, String zone, String region) {}
}
