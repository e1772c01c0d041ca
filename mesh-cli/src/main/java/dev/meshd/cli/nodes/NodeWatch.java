package dev.meshd.cli.nodes;

import dev.meshd.cli.output.Output;
import dev.meshd.cli.output.OutputFormat;
import dev.meshd.cli.output.ProtoJson;
import dev.meshd.proto.v1.Node;
import dev.meshd.proto.v1.NodeEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@code --watch} half of {@code list-nodes}: shows the listed nodes, then follows the event
 * stream until the agent ends it. Table output is redrawn whole after every event (the screen is
 * cleared first on a terminal; elsewhere a blank line separates the redraws, so a log stays
 * readable). JSON and YAML output print the listed nodes as one stream item, then each event as
 * its own item, so a script can read line by line.
 *
 * <p>Load figures (the QUEUE column) change without membership events, so the table is also
 * re-listed every {@code refresh} ({@link #followRefreshing}): the events are read on a virtual
 * thread of their own and handed over through a queue, and this thread redraws on either. Used
 * from one thread.
 */
final class NodeWatch {

  /** ANSI: cursor home, then erase the screen. */
  static final String CLEAR_SCREEN = "\033[H\033[2J";

  private final Output output;
  private final Clock clock;
  private final boolean terminal;

  NodeWatch(Output output, Clock clock, boolean terminal) {
    this.output = output;
    this.clock = clock;
    this.terminal = terminal;
  }

  /**
   * Prints {@code initial}, then every event of {@code events}; returns when the stream ends or
   * nobody reads stdout any more.
   *
   * @throws io.grpc.StatusRuntimeException when the stream fails
   */
  void follow(List<Node> initial, Iterator<NodeEvent> events) {
    if (output.format() == OutputFormat.TABLE) {
      followTable(initial, events);
    } else {
      output.streamItem(ProtoJson.array(initial));
      while (!output.readerGone() && events.hasNext()) {
        output.streamItem(ProtoJson.tree(events.next()));
      }
    }
  }

  /**
   * {@link #follow}, with table output also re-listed ({@code relist}) and redrawn every {@code
   * refresh}; other formats print events only, as {@link #follow} does.
   *
   * @throws io.grpc.StatusRuntimeException when the stream or a re-listing fails
   */
  void followRefreshing(List<Node> initial, Iterator<NodeEvent> events,
      Supplier<List<Node>> relist, Duration refresh) {
    if (output.format() != OutputFormat.TABLE) {
      follow(initial, events);
      return;
    }
    NodeSet nodes = new NodeSet(initial);
    output.text(NodeTable.render(nodes.nodes(), clock.instant()));
    BlockingQueue<Object> updates = new LinkedBlockingQueue<>();
    Thread reader = Thread.ofVirtual().name("list-nodes-events").start(() -> {
      try {
        while (events.hasNext()) {
          updates.add(events.next());
        }
        updates.add(END);
      } catch (RuntimeException e) {
        updates.add(e);
      }
    });
    try {
      while (!output.readerGone()) {
        Object update = updates.poll(refresh.toMillis(), TimeUnit.MILLISECONDS);
        if (update == END) {
          return;
        } else if (update instanceof RuntimeException e) {
          throw e;
        } else if (update instanceof NodeEvent event) {
          nodes.apply(event);
        } else {
          nodes.replaceAll(relist.get());
        }
        output.text((terminal ? CLEAR_SCREEN : "\n")
            + NodeTable.render(nodes.nodes(), clock.instant()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      reader.interrupt();
    }
  }

  /** The event reader's mark that the stream ended. */
  private static final Object END = new Object();

  private void followTable(List<Node> initial, Iterator<NodeEvent> events) {
    NodeSet nodes = new NodeSet(initial);
    output.text(NodeTable.render(nodes.nodes(), clock.instant()));
    while (!output.readerGone() && events.hasNext()) {
      nodes.apply(events.next());
      output.text((terminal ? CLEAR_SCREEN : "\n")
          + NodeTable.render(nodes.nodes(), clock.instant()));
    }
  }
}
