package dev.meshd.agent.router;

import dev.meshd.proto.v1.RouteRequest;
import dev.meshd.proto.v1.RouteResponse;
import dev.meshd.proto.v1.RouterServiceGrpc;
import dev.meshd.router.route.RouteDecision;
import dev.meshd.router.route.Router;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/**
 * {@code meshd.v1.RouterService}: explains where a request would go, from this agent's fleet
 * view, signals and store view. Routes nothing. On an agent without the router role it answers
 * FAILED_PRECONDITION. Thread-safe.
 */
public final class RouterGrpcService extends RouterServiceGrpc.RouterServiceImplBase {

  private final Optional<Router> router;
  private final OriginResolver origins;
  private final String nodeId;

  public RouterGrpcService(Optional<Router> router, OriginResolver origins, String nodeId) {
    this.router = router;
    this.origins = origins;
    this.nodeId = nodeId;
  }

  @Override
  public void route(RouteRequest request, StreamObserver<RouteResponse> response) {
    if (router.isEmpty()) {
      response.onError(Status.FAILED_PRECONDITION.withDescription("node " + nodeId
          + " does not have the router role; ask an agent with roles: [router]")
          .asRuntimeException());
      return;
    }
    if (request.getModel().isBlank()) {
      response.onError(Status.INVALID_ARGUMENT.withDescription("model: required")
          .asRuntimeException());
      return;
    }
    var origin = origins.resolve(request.getOriginNode());
    if (origin.isEmpty()) {
      response.onError(Status.INVALID_ARGUMENT.withDescription("origin_node: \""
          + request.getOriginNode() + "\" is not in the fleet").asRuntimeException());
      return;
    }
    RouteDecision decision = router.get().route(new dev.meshd.router.RouteRequest(
        request.getModel(), request.getTenant(), request.getPromptTokens(),
        request.getMaxTokens(), origin));
    switch (decision.outcome()) {
      case ROUTED -> {
        response.onNext(RouteMapper.toResponse(decision, nodeId));
        response.onCompleted();
      }
      case UNKNOWN_MODEL -> response.onError(Status.NOT_FOUND.withDescription("model \""
          + request.getModel() + "\": no placement names it and no runtime in the fleet serves"
          + " it").asRuntimeException());
      case ADMISSION_REJECTED -> response.onError(Status.RESOURCE_EXHAUSTED.withDescription(
          "model \"" + request.getModel() + "\": admission rejected every target (policy "
              + decision.policyName() + "): " + decision.rejectionSummary())
          .asRuntimeException());
      case NO_ELIGIBLE_TARGET -> response.onError(Status.UNAVAILABLE.withDescription(
          "model \"" + request.getModel() + "\": no eligible target: "
              + decision.rejectionSummary()).asRuntimeException());
    }
  }
}
