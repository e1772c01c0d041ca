package dev.meshd.cli.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.cli.output.Output;
import dev.meshd.cli.output.OutputFormat;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.TestNodes;
import dev.meshd.proto.v1.NodeEvent;
import dev.meshd.proto.v1.NodeEventType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NodeWatchTest {

  /** Stdout whose reader left after the first write, as with {@code | head -1}. */
  private static final class ReaderLeavesAfterFirstWrite extends OutputStream {
    private boolean written;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (written) {
        throw new IOException("Broken pipe");
      }
      written = true;
    }
  }

  @ParameterizedTest
  @EnumSource(OutputFormat.class)
  void stopsFollowingWhenNobodyReadsAnyMore(OutputFormat format) {
    Output output = new Output(format, new PrintStream(new ReaderLeavesAfterFirstWrite(), false));
    AtomicInteger delivered = new AtomicInteger();
    Iterator<NodeEvent> endless =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public NodeEvent next() {
            delivered.incrementAndGet();
            return NodeEvent.newBuilder()
                .setType(NodeEventType.NODE_EVENT_TYPE_UPDATED)
                .setNode(TestNodes.nodeA())
                .build();
          }
        };

    new NodeWatch(output, Clock.fixed(CliRunner.NOW, ZoneOffset.UTC), false)
        .follow(List.of(TestNodes.nodeB()), endless);

    // The initial print succeeds; the first redraw fails; the watch stops instead of looping.
    assertThat(delivered).hasValueLessThanOrEqualTo(2);
  }

  /** A stream whose events the test hands in, as a gRPC server stream delivers them. */
  private static final class HandedEvents implements Iterator<NodeEvent> {
    private static final NodeEvent END = NodeEvent.getDefaultInstance();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private Object next;

    void send(NodeEvent event) {
      queue.add(event);
    }

    void fail(RuntimeException e) {
      queue.add(e);
    }

    void end() {
      queue.add(END);
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        try {
          next = queue.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        }
      }
      if (next instanceof RuntimeException e) {
        throw e;
      }
      return next != END;
    }

    @Override
    public NodeEvent next() {
      hasNext();
      NodeEvent event = (NodeEvent) next;
      next = null;
      return event;
    }
  }

  private static final class Screen {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final Output output = new Output(OutputFormat.TABLE, new PrintStream(bytes, true,
        StandardCharsets.UTF_8));

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void theTableIsListedAgainBetweenEventsAndStillRedrawnOnEvents() throws Exception {
    Screen screen = new Screen();
    HandedEvents events = new HandedEvents();
    AtomicInteger listings = new AtomicInteger();
    NodeWatch watch = new NodeWatch(screen.output, Clock.fixed(CliRunner.NOW, ZoneOffset.UTC),
        false);

    CompletableFuture<Void> following = CompletableFuture.runAsync(() -> watch.followRefreshing(
        List.of(TestNodes.nodeA()), events, () -> {
          listings.incrementAndGet();
          return List.of(TestNodes.nodeA(), TestNodes.nodeB()); // node-b joined, no event yet
        }, Duration.ofMillis(100)));

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> screen.text().contains("node-b"));
    assertThat(listings).hasPositiveValue();
    events.send(NodeEvent.newBuilder().setType(NodeEventType.NODE_EVENT_TYPE_ADDED)
        .setNode(TestNodes.nodeC()).build());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> screen.text().contains("node-c"));
    events.end();

    following.get(10, TimeUnit.SECONDS); // returns when the stream ends
  }

  @Test
  void aFailingStreamEndsTheRefreshingWatchWithItsError() {
    Screen screen = new Screen();
    HandedEvents events = new HandedEvents();
    events.fail(Status.UNAVAILABLE.withDescription("agent went away").asRuntimeException());

    NodeWatch watch = new NodeWatch(screen.output, Clock.fixed(CliRunner.NOW, ZoneOffset.UTC),
        false);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> watch.followRefreshing(
            List.of(TestNodes.nodeA()), events, List::of, Duration.ofSeconds(30)))
        .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("agent went away");
  }

  @Test
  void theRefreshingWatchStopsWhenNobodyReadsAnyMore() throws Exception {
    Output output = new Output(OutputFormat.TABLE,
        new PrintStream(new ReaderLeavesAfterFirstWrite(), false));
    HandedEvents events = new HandedEvents(); // never ends on its own

    new NodeWatch(output, Clock.fixed(CliRunner.NOW, ZoneOffset.UTC), false).followRefreshing(
        List.of(TestNodes.nodeA()), events, () -> List.of(TestNodes.nodeB()),
        Duration.ofMillis(100));
    // Returned: the first redraw after the reader left found it gone.
  }
}
