package dev.meshd.agent.links;

import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Stage;
import dev.meshd.core.policy.StageLink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, from the store's placements and the fleet, which stage links this agent must
 * negotiate now and which it must mark DOWN. Pure: the same inputs give the same actions.
 *
 * <p>Rules, per link of a pipelined placement:
 *
 * <ul>
 *   <li>Upstream end dead, gone or unknown: the designated marker (the ALIVE control agent with
 *       the smallest node id, so exactly one agent writes) marks it DOWN, naming the node.
 *   <li>Upstream end is this agent: downstream dead, gone or unknown, mark it DOWN; downstream
 *       SUSPECT, wait; both ALIVE, negotiate when the link is PENDING or DOWN, when either end's
 *       {@link FabricIdentity} changed since the last try, when a FAILED link's backoff has
 *       passed, and when an UP or DEGRADED link is due for its periodic re-probe (the interval
 *       spread per link and round, {@link LinkSettings#reprobeAfter}).
 *   <li>After a restart this agent remembers nothing: an UP link is taken as negotiated with the
 *       ends as they are, and re-probed on schedule from its {@code negotiatedAt}, so a fleet-wide
 *       restart does not set off every negotiation at once.
 * </ul>
 */
public final class LinkPlanner {

  /** The role that makes an agent a candidate to mark links of dead upstream agents. */
  static final String CONTROL_ROLE = "control";

  private final String selfId;
  private final LinkSettings settings;

  public LinkPlanner(String selfId, LinkSettings settings) {
    this.selfId = selfId;
    this.settings = settings;
  }

  /**
   * The actions due at {@code now}.
   *
   * @param memory this agent's memory of its own links; links missing from it were not tried
   *     since this agent started
   * @param busy links with a negotiation or write in progress: no action for them
   */
  public List<LinkAction> plan(Collection<Placement> placements, Map<String, FleetMember> members,
      Map<LinkRef, LinkMemory> memory, Set<LinkRef> busy, Instant now) {
    boolean marker = isDesignatedMarker(members);
    List<LinkAction> actions = new ArrayList<>();
    for (Placement placement : placements) {
      for (StageLink link : placement.links()) {
        Optional<LinkRef> ref = ref(placement, link);
        if (ref.isEmpty() || busy.contains(ref.get())) {
          continue;
        }
        action(ref.get(), link.status(), members, memory.get(ref.get()), marker, now)
            .ifPresent(actions::add);
      }
    }
    return actions;
  }

  /** The link with its ends' nodes; empty when the placement does not name both stages. */
  static Optional<LinkRef> ref(Placement placement, StageLink link) {
    Optional<Stage> from = stage(placement, link.fromStage());
    Optional<Stage> to = stage(placement, link.toStage());
    if (from.isEmpty() || to.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new LinkRef(placement.name(), link.fromStage(), link.toStage(),
        from.get().nodeId(), to.get().nodeId(), from.get().gpus(), to.get().gpus()));
  }

  private static Optional<Stage> stage(Placement placement, int index) {
    return placement.stages().stream().filter(s -> s.index() == index).findFirst();
  }

  private Optional<LinkAction> action(LinkRef ref, LinkStatus status,
      Map<String, FleetMember> members, LinkMemory remembered, boolean marker, Instant now) {
    FleetMember up = members.get(ref.upstreamNode());
    if (gone(up)) {
      return marker && status.state() != LinkState.DOWN
          ? Optional.of(new LinkAction.MarkDown(ref, "upstream node " + ref.upstreamNode() + " "
              + describe(up)))
          : Optional.empty();
    }
    if (!ref.upstreamNode().equals(selfId)) {
      return Optional.empty();
    }
    FleetMember down = members.get(ref.downstreamNode());
    if (gone(down)) {
      return status.state() != LinkState.DOWN
          ? Optional.of(new LinkAction.MarkDown(ref, "downstream node " + ref.downstreamNode()
              + " " + describe(down)))
          : Optional.empty();
    }
    if (up.state() != MemberState.ALIVE || down.state() != MemberState.ALIVE) {
      return Optional.empty(); // SUSPECT: it may be back in a moment; decide when it is settled
    }
    return dueNegotiation(ref, status, FabricIdentity.of(up.record()),
        FabricIdentity.of(down.record()), remembered, now);
  }

  private Optional<LinkAction> dueNegotiation(LinkRef ref, LinkStatus status, long upFabric,
      long downFabric, LinkMemory remembered, Instant now) {
    LinkState state = status.state();
    if (state == LinkState.PENDING) {
      return negotiate(ref, "not negotiated yet");
    }
    if (state == LinkState.DOWN) {
      return negotiate(ref, "both ends are back");
    }
    if (remembered != null && (remembered.upstreamFabric() != upFabric
        || remembered.downstreamFabric() != downFabric)) {
      return negotiate(ref, "an end's host, address or fabric changed");
    }
    if (state == LinkState.FAILED) {
      Instant since = remembered != null ? remembered.lastAttempt()
          : Optional.ofNullable(status.negotiatedAt()).orElse(Instant.EPOCH);
      int failures = remembered != null ? Math.max(1, remembered.failuresInARow()) : 1;
      return !now.isBefore(since.plus(settings.retryAfter(failures)))
          ? negotiate(ref, "retry after failure " + failures)
          : Optional.empty();
    }
    Instant last = remembered != null ? remembered.lastAttempt()
        : Optional.ofNullable(status.negotiatedAt()).orElse(Instant.EPOCH);
    return !now.isBefore(last.plus(settings.reprobeAfter(ref.label(), last.toEpochMilli())))
        ? negotiate(ref, "periodic re-probe")
        : Optional.empty();
  }

  private static Optional<LinkAction> negotiate(LinkRef ref, String why) {
    return Optional.of(new LinkAction.Negotiate(ref, why));
  }

  private static boolean gone(FleetMember member) {
    return member == null || member.state() == MemberState.DEAD
        || member.state() == MemberState.LEFT;
  }

  private static String describe(FleetMember member) {
    return member == null ? "is not in the fleet" : "is " + member.state();
  }

  /** Whether this agent is the ALIVE control agent with the smallest node id. */
  private boolean isDesignatedMarker(Map<String, FleetMember> members) {
    return members.values().stream()
        .filter(m -> m.state() == MemberState.ALIVE
            && m.record().roles().contains(CONTROL_ROLE))
        .map(FleetMember::nodeId)
        .min(Comparator.naturalOrder())
        .filter(selfId::equals)
        .isPresent();
  }
}
