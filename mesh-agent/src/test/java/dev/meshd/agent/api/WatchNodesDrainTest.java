package dev.meshd.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshd.agent.store.StoreReader;
import dev.meshd.agent.testing.TestMembers;
import dev.meshd.core.policy.ChangeType;
import dev.meshd.core.policy.DocumentKind;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.StoreChange;
import dev.meshd.core.policy.StoreSnapshot;
import dev.meshd.proto.v1.ListNodesRequest;
import dev.meshd.proto.v1.MeshServiceGrpc;
import dev.meshd.proto.v1.Node;
import dev.meshd.proto.v1.NodeEvent;
import dev.meshd.proto.v1.NodeEventType;
import dev.meshd.proto.v1.WatchNodesRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MeshService reads each node's drain from the store view, and WatchNodes follows drains. */
class WatchNodesDrainTest {

  private final List<Consumer<StoreSnapshot>> listeners = new CopyOnWriteArrayList<>();
  private volatile StoreSnapshot current = StoreSnapshot.EMPTY;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    StoreReader store = new StoreReader() {
      @Override
      public StoreSnapshot snapshot() {
        return current;
      }

      @Override
      public AutoCloseable onChange(Consumer<StoreSnapshot> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
      }
    };
    MeshGrpcService service = new MeshGrpcService(TestMembers.fleet("node1", "node2"),
        () -> TestMembers.alive("node1").record(), () -> 0, Clock.systemUTC(), store);
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(service)
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private void publish(StoreChange change) {
    current = current.apply(change);
    listeners.forEach(l -> l.accept(current));
  }

  @Test
  void listNodesAndWatchNodesShowDrainsAsTheyChange() {
    publish(StoreChange.put(NodeDrain.of("node2", "upgrade", TestMembers.T0).withRevision(1)));
    List<Node> listed = MeshServiceGrpc.newBlockingStub(channel)
        .listNodes(ListNodesRequest.getDefaultInstance()).getNodesList();
    assertThat(listed).filteredOn(Node::getDraining).extracting(Node::getId)
        .containsExactly("node2");

    List<NodeEvent> events = new CopyOnWriteArrayList<>();
    MeshServiceGrpc.newStub(channel).watchNodes(WatchNodesRequest.newBuilder()
        .setSkipInitial(true).build(), new StreamObserver<>() {
          @Override
          public void onNext(NodeEvent event) {
            events.add(event);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
    await().atMost(Duration.ofSeconds(5)).until(() -> listeners.size() == 1);

    publish(new StoreChange(2, ChangeType.DELETE, DocumentKind.DRAIN, "node2", null, null));
    publish(StoreChange.put(NodeDrain.of("node9", "", TestMembers.T0).withRevision(3)));
    publish(StoreChange.put(NodeDrain.of("node1", "", TestMembers.T0).withRevision(4)));

    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
    assertThat(events).extracting(NodeEvent::getType)
        .containsOnly(NodeEventType.NODE_EVENT_TYPE_UPDATED);
    assertThat(events).extracting(e -> e.getNode().getId() + "=" + e.getNode().getDraining())
        .as("node9 is not a member: no event").containsExactly("node2=false", "node1=true");
  }
}
