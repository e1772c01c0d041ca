package dev.meshd.agent.auth;

import java.util.Map;

/**
 * The permission each gRPC method needs, by full method name. A method that is not listed needs
 * ADMIN, so a new RPC is closed until someone decides who may call it.
 */
public final class MethodPermissions {

  private static final Map<String, Permission> BY_METHOD =
      Map.ofEntries(
          Map.entry("meshd.v1.MeshService/ListNodes", Permission.READ),
          Map.entry("meshd.v1.MeshService/GetNode", Permission.READ),
          Map.entry("meshd.v1.MeshService/WatchNodes", Permission.READ),
          Map.entry("meshd.v1.MeshService/GetStats", Permission.READ),
          Map.entry("meshd.v1.PolicyService/GetPolicy", Permission.READ),
          Map.entry("meshd.v1.PolicyService/ListPolicies", Permission.READ),
          Map.entry("meshd.v1.PolicyService/GetPlacement", Permission.READ),
          Map.entry("meshd.v1.PolicyService/ListPlacements", Permission.READ),
          Map.entry("meshd.v1.PolicyService/Watch", Permission.READ),
          Map.entry("meshd.v1.PolicyService/GetClusterStatus", Permission.READ),
          Map.entry("meshd.v1.PolicyService/PutPolicy", Permission.WRITE),
          Map.entry("meshd.v1.PolicyService/DeletePolicy", Permission.WRITE),
          Map.entry("meshd.v1.PolicyService/PutPlacement", Permission.WRITE),
          Map.entry("meshd.v1.PolicyService/DeletePlacement", Permission.WRITE),
          Map.entry("meshd.v1.PolicyService/ListDrains", Permission.READ),
          Map.entry("meshd.v1.PolicyService/DrainNode", Permission.WRITE),
          Map.entry("meshd.v1.PolicyService/UncordonNode", Permission.WRITE),
          Map.entry("meshd.v1.PolicyService/AddRaftPeer", Permission.ADMIN),
          Map.entry("meshd.v1.PolicyService/RemoveRaftPeer", Permission.ADMIN),
          Map.entry("meshd.v1.PolicyService/SaveSnapshot", Permission.ADMIN),
          // Agents only: a router's stream of another agent's load signals.
          Map.entry("meshd.v1.SignalService/WatchSignals", Permission.INTERNAL),
          // Explains a decision from what the agent already holds; changes nothing.
          Map.entry("meshd.v1.RouterService/Route", Permission.READ),
          // Agents only: the downstream end of a stage-link negotiation.
          Map.entry("meshd.v1.FabricService/Negotiate", Permission.INTERNAL),
          // Moves tens of MiB over the fabric between two production nodes, beside their
          // inference traffic: an operator's act, not a viewer's.
          Map.entry("meshd.v1.FabricService/Probe", Permission.WRITE),
          Map.entry("meshd.v1.FabricService/ListLinks", Permission.READ));

  /** Health checks stay open so that load balancers and probes need no token. */
  private static final String HEALTH_SERVICE = "grpc.health.v1.Health/";

  private MethodPermissions() {}

  /** The permission {@code fullMethodName} needs; empty for the open health service. */
  public static java.util.Optional<Permission> required(String fullMethodName) {
    if (fullMethodName.startsWith(HEALTH_SERVICE)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(BY_METHOD.getOrDefault(fullMethodName, Permission.ADMIN));
  }
}
