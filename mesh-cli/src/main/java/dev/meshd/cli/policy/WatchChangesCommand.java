package dev.meshd.cli.policy;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.CommandFailure;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.cli.output.OutputFormat;
import dev.meshd.cli.output.ProtoJson;
import dev.meshd.proto.v1.ListPoliciesRequest;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import dev.meshd.proto.v1.StoreChange;
import dev.meshd.proto.v1.WatchRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code mesh-cli policy watch [--from-revision R]}: PolicyService.Watch, every change of
 * policies, placements and node drains after revision R, until the agent ends the stream or the
 * user presses Ctrl-C. Without {@code --from-revision} it starts at the store's current
 * revision, taken from ListPolicies, so it shows what changes from now on (as {@code etcdctl watch} does) rather than
 * replaying the kept history. Table output is one line per change, JSON is JSON Lines, YAML one
 * document per change.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description =
        "Follow changes of policies, placements and drains until the agent ends the stream.")
public final class WatchChangesCommand extends AgentCommand {

  // Boxed: null means "not given", which differs from 0 (replay the whole kept history).
  @Option(
      names = "--from-revision",
      paramLabel = "R",
      description = "Show changes after revision R (0: all the history the agents keep); "
          + "default: the current revision.")
  private Long fromRevision;

  @Override
  protected void validate() {
    if (fromRevision != null && fromRevision < 0) {
      throw new ParameterException(
          spec().commandLine(),
          "--from-revision: " + fromRevision + " (expected: 0 or a revision the store gave)");
    }
  }

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    long from = fromRevision != null ? fromRevision : currentRevision(agent);
    Iterator<StoreChange> changes =
        agent.streaming(PolicyServiceGrpc::newBlockingStub)
            .watch(WatchRequest.newBuilder().setFromRevision(from).build());
    if (output.format() == OutputFormat.TABLE) {
      output.text(ChangeLines.header());
    }
    try {
      while (!output.readerGone() && changes.hasNext()) {
        StoreChange change = changes.next();
        if (output.format() == OutputFormat.TABLE) {
          output.text(ChangeLines.of(change));
        } else {
          output.streamItem(ProtoJson.tree(change));
        }
      }
    } catch (StatusRuntimeException e) {
      throw e.getStatus().getCode() == Status.Code.OUT_OF_RANGE ? historyGone(from, e) : e;
    }
    return ExitCodes.OK;
  }

  /** The revision a fresh list is read at: watching from it misses nothing that comes after. */
  private static long currentRevision(AgentConnection agent) {
    return agent.unary(PolicyServiceGrpc::newBlockingStub)
        .listPolicies(ListPoliciesRequest.getDefaultInstance())
        .getRevision();
  }

  /**
   * The agents compacted the history past {@code from}: the changes in between are gone, and
   * only a fresh list (which a watch without {@code --from-revision} takes) can resynchronize.
   */
  private CommandFailure historyGone(long from, StatusRuntimeException e) {
    String advice = fromRevision != null
        ? "list again and watch without --from-revision"
        : "the history moved on while starting; run the watch again";
    return new CommandFailure(
        ExitCodes.AGENT_FAILED,
        "out of range: revision " + from + " is older than the history the agents keep; "
            + advice,
        e);
  }
}
