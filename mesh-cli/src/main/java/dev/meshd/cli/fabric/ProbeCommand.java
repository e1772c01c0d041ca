package dev.meshd.cli.fabric;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.CommandFailure;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.DurationText;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.FabricServiceGrpc;
import dev.meshd.proto.v1.LinkState;
import dev.meshd.proto.v1.ProbeRequest;
import dev.meshd.proto.v1.ProbeResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh-cli fabric probe --peer NODE [--transport T]}: FabricService.Probe. The answering
 * agent negotiates with the peer as the upstream end and reports every try; the table lists them
 * in order and the link they came to. Exits 1 when no transport worked (the tries are printed
 * all the same).
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = {
      "Negotiate a stage link from the answering agent (--server) to a peer node now, and show"
          + " every transport tried with its outcome and the link they came to.",
      "Each try sends a payload probe (64 MiB by default) over the fabric; the store is not"
          + " changed. Needs an operator token. Waits up to "
          + "40s or --timeout, whichever is longer. Exit 1 when no transport worked."
    })
public final class ProbeCommand extends AgentCommand {

  /** The agent's negotiation takes up to 30 s when transports time out; leave it room. */
  static final Duration MIN_DEADLINE = Duration.ofSeconds(40);

  static final List<String> TRANSPORTS = List.of("nvlink", "xgmi", "rdma", "libfabric-tcp", "quic");

  @Option(names = "--peer", required = true, paramLabel = "NODE",
      description = "The node at the other end of the link (the downstream end).")
  private String peer;

  @Option(names = "--transport", paramLabel = "T",
      description = "Try only this transport group: nvlink, xgmi, rdma, libfabric-tcp or quic.")
  private String transport;

  @Override
  protected void validate() {
    if (peer.isBlank()) {
      throw CommandFailure.invalidInput("--peer: empty (expected: a node id)");
    }
    if (transport != null && !TRANSPORTS.contains(transport.strip())) {
      throw CommandFailure.invalidInput("--transport: " + transport
          + " (expected: nvlink, xgmi, rdma, libfabric-tcp or quic)");
    }
  }

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    ProbeRequest.Builder request = ProbeRequest.newBuilder().setPeerNode(peer.strip());
    if (transport != null) {
      request.setTransport(transport.strip());
    }
    ProbeResponse response;
    try {
      response = agent.unaryWithin(FabricServiceGrpc::newBlockingStub, MIN_DEADLINE)
          .probe(request.build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
        throw e;
      }
      Duration waited = agent.timeout().compareTo(MIN_DEADLINE) >= 0
          ? agent.timeout() : MIN_DEADLINE;
      throw new CommandFailure(ExitCodes.AGENT_FAILED, "probe: no answer within "
          + DurationText.format(waited) + " (the negotiation may still be running on the agent)",
          e);
    }
    output.message(response, () -> ProbeReport.render(response));
    if (response.getLink().getState() == LinkState.LINK_STATE_FAILED) {
      context.err().println("probe: no transport worked from " + response.getUpstream()
          .getNodeId() + " to " + response.getDownstream().getNodeId() + ": "
          + response.getLink().getReason());
      return ExitCodes.AGENT_FAILED;
    }
    return ExitCodes.OK;
  }
}
