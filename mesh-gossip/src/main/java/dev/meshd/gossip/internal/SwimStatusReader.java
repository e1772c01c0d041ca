package dev.meshd.gossip.internal;

import io.scalecube.cluster.Cluster;
import io.scalecube.cluster.ClusterImpl;
import io.scalecube.cluster.membership.MemberStatus;
import io.scalecube.cluster.membership.MembershipProtocolImpl;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import reactor.core.scheduler.Scheduler;

/**
 * Reads the SWIM status (ALIVE, SUSPECT, DEAD, LEAVING) of each member from scalecube.
 *
 * <p>scalecube 2.7.7 publishes ADDED, UPDATED, LEAVING and REMOVED events but never SUSPECT,
 * which operators need to see. Its membership table is private, so this reads it by reflection,
 * on scalecube's own single scheduler thread (the table is a plain {@code HashMap} owned by that
 * thread). The version is pinned (2.7.7 is the newest that resolves), and {@code
 * GossipAgentIT} (which waits for a SUSPECT member) breaks loudly if the fields move.
 */
public final class SwimStatusReader {

  private static final VarHandle MEMBERSHIP;
  private static final VarHandle SCHEDULER;
  private static final VarHandle TABLE;
  private static final MethodHandle STATUS;

  static {
    try {
      MethodHandles.Lookup cluster =
          MethodHandles.privateLookupIn(ClusterImpl.class, MethodHandles.lookup());
      MEMBERSHIP =
          cluster.findVarHandle(ClusterImpl.class, "membership", MembershipProtocolImpl.class);
      SCHEDULER = cluster.findVarHandle(ClusterImpl.class, "scheduler", Scheduler.class);
      MethodHandles.Lookup membership =
          MethodHandles.privateLookupIn(MembershipProtocolImpl.class, MethodHandles.lookup());
      TABLE = membership.findVarHandle(MembershipProtocolImpl.class, "membershipTable", Map.class);
      // MembershipRecord is package-private in 2.7.7.
      Class<?> record =
          Class.forName("io.scalecube.cluster.membership.MembershipRecord", true,
              MembershipProtocolImpl.class.getClassLoader());
      STATUS =
          MethodHandles.privateLookupIn(record, MethodHandles.lookup())
              .findVirtual(record, "status", MethodType.methodType(MemberStatus.class))
              .asType(MethodType.methodType(MemberStatus.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(
          "scalecube internals changed; SwimStatusReader supports scalecube-cluster 2.7.7: " + e);
    }
  }

  private final MembershipProtocolImpl membership;
  private final Scheduler scheduler;

  public SwimStatusReader(Cluster cluster) {
    ClusterImpl impl = (ClusterImpl) cluster;
    this.membership = (MembershipProtocolImpl) MEMBERSHIP.get(impl);
    this.scheduler = (Scheduler) SCHEDULER.get(impl);
  }

  /** Member id to SWIM status, read on scalecube's thread. */
  public CompletableFuture<Map<String, MemberStatus>> read() {
    CompletableFuture<Map<String, MemberStatus>> result = new CompletableFuture<>();
    try {
      scheduler.schedule(
          () -> {
            try {
              Map<?, ?> table = (Map<?, ?>) TABLE.get(membership);
              Map<String, MemberStatus> copy = new HashMap<>();
              for (Map.Entry<?, ?> entry : table.entrySet()) {
                copy.put((String) entry.getKey(), (MemberStatus) STATUS.invokeExact(entry.getValue()));
              }
              result.complete(copy);
            } catch (Throwable e) {
              result.completeExceptionally(e);
            }
          });
    } catch (RuntimeException rejectedBecauseShutDown) {
      result.completeExceptionally(rejectedBecauseShutDown);
    }
    return result;
  }
}
