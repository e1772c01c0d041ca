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
}
