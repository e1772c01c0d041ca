package dev.meshd.cli.nodes;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.DurationText;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.ListNodesRequest;
import dev.meshd.proto.v1.MeshServiceGrpc;
import dev.meshd.proto.v1.Node;
import dev.meshd.proto.v1.NodeEvent;
import dev.meshd.proto.v1.NodeEventType;
import dev.meshd.proto.v1.WatchNodesRequest;
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mesh-cli list-nodes [--watch]}: MeshService.ListNodes, then optionally WatchNodes. */
@Command(
    name = "list-nodes",
    mixinStandardHelpOptions = true,
    description = "List every node the agent knows of, in every state, sorted by id.")
public final class ListNodesCommand extends AgentCommand {

  @Option(
      names = "--watch",
      description = "After listing, follow changes until the agent closes the stream (or Ctrl-C).")
  private boolean watch;

  @Option(
      names = "--refresh",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = RefreshInterval.class,
      description = "With --watch and table output: also list again this often, so load "
          + "figures (QUEUE) and AGE stay current between membership events; 0 turns it off "
          + "(default: ${DEFAULT-VALUE}).")
  private Duration refresh;

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    if (watch) {
      return watch(agent, output, context);
    }
    // The contract says the agent sorts by id; sorting again keeps every format stable even
    // when talking to an agent that does not.
    List<Node> nodes =
        agent.unary(MeshServiceGrpc::newBlockingStub)
            .listNodes(ListNodesRequest.getDefaultInstance())
            .getNodesList()
            .stream()
            .sorted(Comparator.comparing(Node::getId))
            .toList();
    output.list(nodes, () -> NodeTable.render(nodes, context.clock().instant()));
    return ExitCodes.OK;
  }

  /**
   * One WatchNodes stream gives both the starting list (the ADDED events up to SYNCED) and the
   * changes, so nothing that happens between listing and watching is missed.
   */
  private int watch(AgentConnection agent, Output output, CliContext context) {
    Iterator<NodeEvent> events =
        agent.streaming(MeshServiceGrpc::newBlockingStub)
            .watchNodes(WatchNodesRequest.getDefaultInstance());
    NodeSet initial = new NodeSet(List.of());
    while (events.hasNext()) {
      NodeEvent event = events.next();
      if (event.getType() == NodeEventType.NODE_EVENT_TYPE_SYNCED) {
        break;
      }
      initial.apply(event);
    }
    NodeWatch nodeWatch = new NodeWatch(output, context.clock(), context.stdoutIsTerminal());
    if (refresh.isZero()) {
      nodeWatch.follow(List.copyOf(initial.nodes()), events);
    } else {
      nodeWatch.followRefreshing(List.copyOf(initial.nodes()), events, () -> list(agent),
          refresh);
    }
    return ExitCodes.OK;
  }

  private static List<Node> list(AgentConnection agent) {
    return agent.unary(MeshServiceGrpc::newBlockingStub)
        .listNodes(ListNodesRequest.getDefaultInstance())
        .getNodesList();
  }

  /** {@code --refresh}: a duration of at least 100 ms, or 0 for none. */
  static final class RefreshInterval implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration interval;
      try {
        interval = value.strip().equals("0") ? Duration.ZERO : DurationText.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
      if (!interval.isZero() && interval.compareTo(Duration.ofMillis(100)) < 0) {
        throw new CommandLine.TypeConversionException(
            "\"" + value + "\" (expected: 0, or a duration of at least 100ms such as 2s)");
      }
      return interval;
    }
  }
}
