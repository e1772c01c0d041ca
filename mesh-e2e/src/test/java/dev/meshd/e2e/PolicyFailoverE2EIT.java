package dev.meshd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshd.proto.v1.ClusterStatus;
import dev.meshd.proto.v1.GetClusterStatusRequest;
import dev.meshd.proto.v1.GetPolicyRequest;
import dev.meshd.proto.v1.PeerRole;
import dev.meshd.proto.v1.Policy;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import dev.meshd.proto.v1.PutPolicyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real agents; a writer issues compare-and-set writes through one of them while the Raft
 * leader is killed with SIGKILL and later restarted. No acknowledged write may be lost, and the
 * revisions of acknowledged writes must strictly increase.
 */
class PolicyFailoverE2EIT {

  private static final Map<String, Integer> GRPC_PORT =
      Map.of("node1", 7070, "node2", 7080, "node3", 7090);

  @TempDir Path workDir;
  private MeshProcesses mesh;
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startMesh() throws Exception {
    mesh = new MeshProcesses(workDir);
    mesh.prepareExampleConfigs();
    for (String node : GRPC_PORT.keySet()) {
      mesh.startAgent(node);
    }
  }

  @AfterEach
  void stopMesh() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    mesh.close();
  }

  @Test
  void killingTheLeaderMidStreamLosesNoAcknowledgedWrite() throws Exception {
    String leader = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> status("node1").getLeaderId(), id -> !id.isEmpty());
    String writerNode = GRPC_PORT.keySet().stream().filter(n -> !n.equals(leader)).sorted()
        .findFirst().orElseThrow();
    Writer writer = new Writer(stub(writerNode));
    Thread thread = Thread.ofPlatform().name("cas-writer").start(writer);
    try {
      awaitAcks(writer, 20, Duration.ofSeconds(60));

      mesh.agent(leader).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      int ackedAtKill = writer.acked.size();
      // A new leader is elected among the two survivors and the writer goes on.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> status(writerNode).getLeaderId(), id -> !id.isEmpty() && !id.equals(leader));
      awaitAcks(writer, ackedAtKill + 20, Duration.ofSeconds(60));

      mesh.startAgent(leader);
      int ackedAtRestart = writer.acked.size();
      awaitAcks(writer, ackedAtRestart + 20, Duration.ofSeconds(90));
    } catch (Throwable t) {
      // The agents' logs are the only record of why the group stalled.
      for (String node : GRPC_PORT.keySet()) {
        System.out.println("----- " + node + ".log (last 150 lines) -----");
        List<String> lines = mesh.log(node).lines().toList();
        lines.subList(Math.max(0, lines.size() - 150), lines.size()).forEach(System.out::println);
      }
      throw t;
    } finally {
      writer.stop.set(true);
      thread.join(Duration.ofSeconds(30));
    }
    assertThat(writer.failure).as("writer failed unexpectedly").isNull();

    // Revisions of acknowledged writes strictly increase, in the order they were acknowledged.
    List<Long> revisions = writer.acked.stream().map(Ack::revision).toList();
    assertThat(revisions).isSorted().doesNotHaveDuplicates();
    // Every acknowledged write is there, read through the restarted node once it caught up.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> status(leader).getPeersList().stream()
            .allMatch(p -> p.getRole() != PeerRole.PEER_ROLE_UNREACHABLE && p.getLag() == 0));
    var reader = stub(leader);
    for (Map.Entry<String, Long> last : writer.lastAckedByName().entrySet()) {
      Policy stored = reader.getPolicy(GetPolicyRequest.newBuilder().setName(last.getKey())
          .build());
      assertThat(stored.getRevision()).as(last.getKey()).isGreaterThanOrEqualTo(last.getValue());
    }
    // The chained compare-and-set document holds the last acknowledged step, or the one after
    // it if the writer stopped right after a step whose acknowledgement it never received.
    double step = reader.getPolicy(GetPolicyRequest.newBuilder().setName("chain").build())
        .getWeightsMap().get("step");
    assertThat(step).isBetween((double) writer.chainSteps.get(),
        (double) writer.chainSteps.get() + 1);
  }

  /** Waits for {@code count} acknowledged writes; stops at once if the writer failed. */
  private static void awaitAcks(Writer writer, int count, Duration timeout) {
    await().atMost(timeout)
        .failFast("writer failed", () -> {
          if (writer.failure != null) {
            throw new AssertionError("writer failed after " + writer.acked.size() + " acks: "
                + writer.failure, writer.failure);
          }
        })
        .until(() -> writer.acked.size() >= count);
  }

  private ClusterStatus status(String node) {
    return stub(node).getClusterStatus(GetClusterStatusRequest.getDefaultInstance());
  }

  private PolicyServiceGrpc.PolicyServiceBlockingStub stub(String node) {
    ManagedChannel channel = NettyChannelBuilder
        .forAddress("127.0.0.1", mesh.port(GRPC_PORT.get(node))).usePlaintext().build();
    channels.add(channel);
    return PolicyServiceGrpc.newBlockingStub(channel).withDeadlineAfter(15, TimeUnit.SECONDS);
  }

  record Ack(String name, long revision) {}

  /**
   * Alternates a new document created with expected_revision 0 and a step of one chained
   * document updated with expected_revision = its last revision. A write whose outcome is unknown
   * (UNAVAILABLE, DEADLINE_EXCEEDED while the leader dies) is not acknowledged; the chain then
   * re-reads its document to learn whether the step landed.
   */
  static final class Writer implements Runnable {
    final PolicyServiceGrpc.PolicyServiceBlockingStub stub;
    final List<Ack> acked = new CopyOnWriteArrayList<>();
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger chainSteps = new AtomicInteger();
    volatile Throwable failure;
    private long chainRevision = -1;
    private int next;

    Writer(PolicyServiceGrpc.PolicyServiceBlockingStub stub) {
      this.stub = stub;
    }

    @Override
    public void run() {
      try {
        while (!stop.get()) {
          try {
            writeOnce();
          } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
              throw e;
            }
            chainRevision = -1; // unknown outcome: learn the chain's state again
            LockSupportPause.pause();
          }
        }
      } catch (Throwable t) {
        failure = t;
      }
    }

    Map<String, Long> lastAckedByName() {
      Map<String, Long> last = new ConcurrentHashMap<>();
      acked.forEach(a -> last.merge(a.name(), a.revision(), Math::max));
      return last;
    }

    private void writeOnce() {
      if (chainRevision < 0) {
        syncChain();
      }
      String name = "w-" + next;
      Policy created = stub.withDeadlineAfter(15, TimeUnit.SECONDS).putPolicy(
          PutPolicyRequest.newBuilder().setPolicy(policy(name, 0)).setExpectedRevision(0)
              .build());
      acked.add(new Ack(name, created.getRevision()));
      next++;
      int step = chainSteps.get() + 1;
      Policy chained = stub.withDeadlineAfter(15, TimeUnit.SECONDS).putPolicy(
          PutPolicyRequest.newBuilder().setPolicy(policy("chain", step))
              .setExpectedRevision(chainRevision).build());
      chainSteps.set(step);
      chainRevision = chained.getRevision();
      acked.add(new Ack("chain", chained.getRevision()));
    }

    /** Learns the chain document's revision and step, creating it on the first call. */
    private void syncChain() {
      try {
        Policy chain = stub.withDeadlineAfter(15, TimeUnit.SECONDS)
            .getPolicy(GetPolicyRequest.newBuilder().setName("chain").build());
        chainRevision = chain.getRevision();
        chainSteps.set((int) Math.round(chain.getWeightsMap().getOrDefault("step", 0.0)));
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
          throw e;
        }
        chainRevision = 0;
        chainSteps.set(0);
      }
      // A new document left behind by an unacknowledged create is skipped, never rewritten.
      next += 1;
    }

    private static Policy policy(String name, int step) {
      return Policy.newBuilder().setName(name).setModelSelector("meta-llama/*")
          .setStrategy("least_queue").putWeights("step", step).build();
    }
  }

  /** A short pause between attempts while the group elects a leader. */
  static final class LockSupportPause {
    static void pause() {
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
  }
}
