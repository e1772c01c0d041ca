package dev.meshd.cli.testing;

import com.google.protobuf.Message;
import dev.meshd.proto.v1.AddRaftPeerRequest;
import dev.meshd.proto.v1.ClusterStatus;
import dev.meshd.proto.v1.DeletePlacementRequest;
import dev.meshd.proto.v1.DeletePolicyRequest;
import dev.meshd.proto.v1.DeleteResponse;
import dev.meshd.proto.v1.DrainNodeRequest;
import dev.meshd.proto.v1.ListDrainsRequest;
import dev.meshd.proto.v1.ListDrainsResponse;
import dev.meshd.proto.v1.NodeDrain;
import dev.meshd.proto.v1.UncordonNodeRequest;
import dev.meshd.proto.v1.GetClusterStatusRequest;
import dev.meshd.proto.v1.GetPlacementRequest;
import dev.meshd.proto.v1.GetPolicyRequest;
import dev.meshd.proto.v1.ListPlacementsRequest;
import dev.meshd.proto.v1.ListPlacementsResponse;
import dev.meshd.proto.v1.ListPoliciesRequest;
import dev.meshd.proto.v1.ListPoliciesResponse;
import dev.meshd.proto.v1.Placement;
import dev.meshd.proto.v1.Policy;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import dev.meshd.proto.v1.PutPlacementRequest;
import dev.meshd.proto.v1.PutPolicyRequest;
import dev.meshd.proto.v1.RemoveRaftPeerRequest;
import dev.meshd.proto.v1.SaveSnapshotRequest;
import dev.meshd.proto.v1.SnapshotChunk;
import dev.meshd.proto.v1.StoreChange;
import dev.meshd.proto.v1.WatchRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A PolicyService that keeps policies, placements and drains in memory with the store's revision
 * rules (one counter for every kind, compare-and-set on {@code expected_revision}), and answers the
 * streaming and admin calls from what the test scripted. Every request is recorded, so a test can
 * check what the CLI sent, including whether an optional field was present. {@link #failWith}
 * makes every call fail with one status, as an agent without quorum or a refused token would.
 * Thread-safe: writes are serialized by the object's lock.
 */
public final class FakePolicyService extends PolicyServiceGrpc.PolicyServiceImplBase {

  private final List<Message> requests = new CopyOnWriteArrayList<>();
  private final Keyspace<Policy> policies =
      new Keyspace<>("policy", Policy::getName, (p, r) -> p.toBuilder().setRevision(r).build());
  private final Keyspace<Placement> placements =
      new Keyspace<>("placement", Placement::getName,
          (p, r) -> p.toBuilder().setRevision(r).build());
  private final Keyspace<NodeDrain> drains =
      new Keyspace<>("drain", NodeDrain::getNodeId,
          (d, r) -> d.toBuilder().setRevision(r).build());
  private long revision;
  private volatile Status failure;
  private volatile List<StoreChange> watchChanges = List.of();
  private volatile Status watchEnd = Status.OK;
  private volatile ClusterStatus clusterStatus = ClusterStatus.getDefaultInstance();
  private volatile List<SnapshotChunk> snapshot = List.of();
  private volatile Status snapshotEnd = Status.OK;

  /** Puts {@code value} as if written at its own revision (the store's revision follows it). */
  public synchronized FakePolicyService policy(Policy value) {
    policies.documents.put(value.getName(), value);
    revision = Math.max(revision, value.getRevision());
    return this;
  }

  public synchronized FakePolicyService placement(Placement value) {
    placements.documents.put(value.getName(), value);
    revision = Math.max(revision, value.getRevision());
    return this;
  }

  public synchronized FakePolicyService drain(NodeDrain value) {
    drains.documents.put(value.getNodeId(), value);
    revision = Math.max(revision, value.getRevision());
    return this;
  }

  /** Sets the store's revision, the one lists report and the next write exceeds. */
  public synchronized FakePolicyService revision(long value) {
    revision = value;
    return this;
  }

  /** Every call from now on fails with {@code status}. */
  public FakePolicyService failWith(Status status) {
    failure = status;
    return this;
  }

  /** Watch sends {@code changes}, then ends with {@code end} (OK completes the stream). */
  public FakePolicyService watch(List<StoreChange> changes, Status end) {
    watchChanges = List.copyOf(changes);
    watchEnd = end;
    return this;
  }

  /** What GetClusterStatus, AddRaftPeer and RemoveRaftPeer answer. */
  public FakePolicyService clusterStatus(ClusterStatus value) {
    clusterStatus = value;
    return this;
  }

  /** What SaveSnapshot streams; the stream then completes. */
  public FakePolicyService snapshot(List<SnapshotChunk> chunks) {
    return snapshot(chunks, Status.OK);
  }

  /** SaveSnapshot sends {@code chunks}, then ends with {@code end}. */
  public FakePolicyService snapshot(List<SnapshotChunk> chunks, Status end) {
    snapshot = List.copyOf(chunks);
    snapshotEnd = end;
    return this;
  }

  /** The requests of one type received so far, oldest first. */
  public <T extends Message> List<T> requests(Class<T> type) {
    return requests.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Every request received so far, oldest first. */
  public List<Message> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void putPolicy(PutPolicyRequest request, StreamObserver<Policy> response) {
    answer(request, response, () -> put(policies, request.getPolicy(),
        request.hasExpectedRevision() ? OptionalLong.of(request.getExpectedRevision())
            : OptionalLong.empty()));
  }

  @Override
  public void getPolicy(GetPolicyRequest request, StreamObserver<Policy> response) {
    answer(request, response, () -> policies.get(request.getName()));
  }

  @Override
  public void listPolicies(
      ListPoliciesRequest request, StreamObserver<ListPoliciesResponse> response) {
    answer(request, response, () -> {
      synchronized (this) {
        return ListPoliciesResponse.newBuilder()
            .addAllPolicies(policies.documents.values()).setRevision(revision).build();
      }
    });
  }

  @Override
  public void deletePolicy(DeletePolicyRequest request, StreamObserver<DeleteResponse> response) {
    answer(request, response, () -> delete(policies, request.getName(),
        request.hasExpectedRevision() ? OptionalLong.of(request.getExpectedRevision())
            : OptionalLong.empty()));
  }

  @Override
  public void putPlacement(PutPlacementRequest request, StreamObserver<Placement> response) {
    answer(request, response, () -> put(placements, request.getPlacement(),
        request.hasExpectedRevision() ? OptionalLong.of(request.getExpectedRevision())
            : OptionalLong.empty()));
  }

  @Override
  public void getPlacement(GetPlacementRequest request, StreamObserver<Placement> response) {
    answer(request, response, () -> placements.get(request.getName()));
  }

  @Override
  public void listPlacements(
      ListPlacementsRequest request, StreamObserver<ListPlacementsResponse> response) {
    answer(request, response, () -> {
      synchronized (this) {
        return ListPlacementsResponse.newBuilder()
            .addAllPlacements(placements.documents.values()).setRevision(revision).build();
      }
    });
  }

  @Override
  public void deletePlacement(
      DeletePlacementRequest request, StreamObserver<DeleteResponse> response) {
    answer(request, response, () -> delete(placements, request.getName(),
        request.hasExpectedRevision() ? OptionalLong.of(request.getExpectedRevision())
            : OptionalLong.empty()));
  }

  @Override
  public void drainNode(DrainNodeRequest request, StreamObserver<NodeDrain> response) {
    answer(request, response, () -> put(drains, NodeDrain.newBuilder()
            .setNodeId(request.getNodeId()).setReason(request.getReason())
            .setRequestedAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_764_410_400L))
            .build(),
        request.hasExpectedRevision() ? OptionalLong.of(request.getExpectedRevision())
            : OptionalLong.empty()));
  }

  @Override
  public void uncordonNode(UncordonNodeRequest request, StreamObserver<DeleteResponse> response) {
    answer(request, response, () -> {
      synchronized (this) {
        if (!drains.documents.containsKey(request.getNodeId())) {
          // The agent's wording for this case.
          throw Status.NOT_FOUND.withDescription(
              "node \"" + request.getNodeId() + "\" is not drained").asRuntimeException();
        }
        return delete(drains, request.getNodeId(),
            request.hasExpectedRevision() ? OptionalLong.of(request.getExpectedRevision())
                : OptionalLong.empty());
      }
    });
  }

  @Override
  public void listDrains(ListDrainsRequest request, StreamObserver<ListDrainsResponse> response) {
    answer(request, response, () -> {
      synchronized (this) {
        return ListDrainsResponse.newBuilder()
            .addAllDrains(drains.documents.values()).setRevision(revision).build();
      }
    });
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<StoreChange> response) {
    stream(request, response, watchChanges, watchEnd);
  }

  @Override
  public void getClusterStatus(
      GetClusterStatusRequest request, StreamObserver<ClusterStatus> response) {
    answer(request, response, () -> clusterStatus);
  }

  @Override
  public void addRaftPeer(AddRaftPeerRequest request, StreamObserver<ClusterStatus> response) {
    answer(request, response, () -> clusterStatus);
  }

  @Override
  public void removeRaftPeer(
      RemoveRaftPeerRequest request, StreamObserver<ClusterStatus> response) {
    answer(request, response, () -> clusterStatus);
  }

  @Override
  public void saveSnapshot(SaveSnapshotRequest request, StreamObserver<SnapshotChunk> response) {
    stream(request, response, snapshot, snapshotEnd);
  }

  private synchronized <T extends Message> T put(
      Keyspace<T> keyspace, T document, OptionalLong expected) {
    String name = keyspace.name.apply(document);
    if (name.isEmpty()) {
      throw Status.INVALID_ARGUMENT.withDescription("name: empty (expected: a name)")
          .asRuntimeException();
    }
    keyspace.checkRevision(name, expected);
    T stored = keyspace.withRevision.apply(document, ++revision);
    keyspace.documents.put(name, stored);
    return stored;
  }

  private synchronized DeleteResponse delete(
      Keyspace<?> keyspace, String name, OptionalLong expected) {
    keyspace.get(name);
    keyspace.checkRevision(name, expected);
    keyspace.documents.remove(name);
    return DeleteResponse.newBuilder().setRevision(++revision).build();
  }

  private <R> void answer(Message request, StreamObserver<R> response, Answer<R> answer) {
    requests.add(request);
    Status failing = failure;
    if (failing != null) {
      response.onError(failing.asRuntimeException());
      return;
    }
    try {
      response.onNext(answer.get());
      response.onCompleted();
    } catch (StatusRuntimeException e) {
      response.onError(e);
    }
  }

  private <R> void stream(Message request, StreamObserver<R> response, List<R> items, Status end) {
    requests.add(request);
    Status failing = failure;
    if (failing != null) {
      response.onError(failing.asRuntimeException());
      return;
    }
    items.forEach(response::onNext);
    if (end.isOk()) {
      response.onCompleted();
    } else {
      response.onError(end.asRuntimeException());
    }
  }

  /** A call's answer, which may throw a status as the real service does. */
  @FunctionalInterface
  private interface Answer<R> {
    R get();
  }

  /** One kind of document, by name; guarded by the service's lock. */
  private final class Keyspace<T extends Message> {
    final String kind;
    final Function<T, String> name;
    final BiFunction<T, Long, T> withRevision;
    final Map<String, T> documents = new TreeMap<>();

    Keyspace(String kind, Function<T, String> name, BiFunction<T, Long, T> withRevision) {
      this.kind = kind;
      this.name = name;
      this.withRevision = withRevision;
    }

    T get(String key) {
      synchronized (FakePolicyService.this) {
        T document = documents.get(key);
        if (document == null) {
          // The store's wording (issue 3), so tests see the real line.
          throw Status.NOT_FOUND.withDescription(kind + " \"" + key + "\"").asRuntimeException();
        }
        return document;
      }
    }

    /** The compare-and-set rule of DESIGN's "Optional fields". */
    void checkRevision(String key, OptionalLong expected) {
      if (expected.isEmpty()) {
        return;
      }
      T current = documents.get(key);
      long currentRevision = current == null ? 0 : revisionOf(current);
      if (currentRevision != expected.getAsLong()) {
        String state = current == null ? "does not exist" : "is at revision " + currentRevision;
        throw Status.FAILED_PRECONDITION
            .withDescription("revision conflict: " + kind + " \"" + key + "\" " + state)
            .asRuntimeException();
      }
    }

    private long revisionOf(T document) {
      return (long) document.getField(document.getDescriptorForType().findFieldByName("revision"));
    }
  }
}
