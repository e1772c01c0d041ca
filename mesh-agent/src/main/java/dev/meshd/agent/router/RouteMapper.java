package dev.meshd.agent.router;

import dev.meshd.agent.api.NodeMapper;
import dev.meshd.proto.v1.RankedTarget;
import dev.meshd.proto.v1.RejectedTarget;
import dev.meshd.proto.v1.RouteResponse;
import dev.meshd.proto.v1.RouteTarget;
import dev.meshd.router.Candidate;
import dev.meshd.router.Rejection;
import dev.meshd.router.ScoreTerm;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.route.RouteDecision;

/** Maps routing decisions to {@code meshd.v1} messages. Stateless. */
final class RouteMapper {

  private RouteMapper() {}

  static RouteResponse toResponse(RouteDecision decision, String routerNode) {
    RouteResponse.Builder out = RouteResponse.newBuilder()
        .setModel(decision.request().model())
        .setPolicy(decision.policy().map(p -> p.name()).orElse(""))
        .setStrategy(decision.strategy())
        .setStoreRevision(decision.tableRevision())
        .setDecisionTime(NodeMapper.duration(decision.elapsed()))
        .setRouterNode(routerNode);
    int rank = 1;
    for (ScoredTarget t : decision.ranked()) {
      RankedTarget.Builder ranked = RankedTarget.newBuilder()
          .setRank(rank++)
          .setTarget(target(t.candidate()))
          .setScore(t.score());
      for (ScoreTerm term : t.terms()) {
        ranked.addTerms(dev.meshd.proto.v1.ScoreTerm.newBuilder()
            .setName(term.name()).setValue(term.value()).setWeight(term.weight()));
      }
      out.addTargets(ranked);
    }
    for (Rejection r : decision.rejected()) {
      out.addRejected(RejectedTarget.newBuilder().setTarget(target(r.candidate()))
          .setReason(r.reason()));
    }
    return out.build();
  }

  private static RouteTarget target(Candidate c) {
    RouteTarget.Builder t = RouteTarget.newBuilder()
        .setNodeId(c.nodeId())
        .setRuntime(c.runtime())
        .setZone(c.zone())
        .setQueueDepth(c.queueDepth())
        .setRunningRequests(c.runningRequests())
        .setRoutedSinceSignal(c.routedSinceSignal())
        .setSignalAge(NodeMapper.duration(c.signalAge()))
        .setVramFreeRatio(c.vramFreeRatio());
    c.kvCacheUsage().ifPresent(t::setKvCacheUsage);
    c.decodeTokensPerSecond().ifPresent(t::setDecodeTokensPerSecond);
    c.slowestLink().ifPresent(l -> t.setSlowestLinkClass(l.fabricClass())
        .setSlowestLinkBandwidthBytesPerSecond((long) l.bandwidthBytesPerSecond()));
    return t.build();
  }
}
