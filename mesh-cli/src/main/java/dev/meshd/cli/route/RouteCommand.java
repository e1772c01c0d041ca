package dev.meshd.cli.route;

import dev.meshd.cli.command.AgentCommand;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.command.CommandFailure;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.cli.connect.AgentConnection;
import dev.meshd.cli.output.Output;
import dev.meshd.proto.v1.RouteRequest;
import dev.meshd.proto.v1.RouteResponse;
import dev.meshd.proto.v1.RouterServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mesh-cli route --model M [--tenant T]}: RouterService.Route, explained as a table. */
@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    description = {
      "Show where a request for a model would go now, and why: the ranked targets with each"
          + " score term, and the targets the filters turned away. Routes nothing.",
      "Ask an agent with the router role (--server)."
    })
public final class RouteCommand extends AgentCommand {

  @Option(names = "--model", required = true, paramLabel = "MODEL",
      description = "The model's served name, e.g. meta-llama/Llama-3.1-8B-Instruct.")
  private String model;

  @Option(names = "--tenant", paramLabel = "TENANT", defaultValue = "",
      description = "The tenant the request would come from.")
  private String tenant;

  @Option(names = "--prompt-tokens", paramLabel = "N", defaultValue = "0",
      description = "Prompt size in tokens (0: unknown).")
  private int promptTokens;

  @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "0",
      description = "Output bound in tokens (0: unknown).")
  private int maxTokens;

  @Option(names = "--origin", paramLabel = "NODE", defaultValue = "",
      description = "The node where the request would enter (default: the answering agent).")
  private String origin;

  @Override
  protected void validate() {
    if (model.isBlank()) {
      throw CommandFailure.invalidInput("--model: empty (expected: a model name)");
    }
    if (promptTokens < 0) {
      throw CommandFailure.invalidInput("--prompt-tokens: " + promptTokens + " (expected: >= 0)");
    }
    if (maxTokens < 0) {
      throw CommandFailure.invalidInput("--max-tokens: " + maxTokens + " (expected: >= 0)");
    }
  }

  @Override
  protected int run(AgentConnection agent, Output output, CliContext context) {
    RouteResponse response = agent.unary(RouterServiceGrpc::newBlockingStub)
        .route(RouteRequest.newBuilder()
            .setModel(model)
            .setTenant(tenant)
            .setPromptTokens(promptTokens)
            .setMaxTokens(maxTokens)
            .setOriginNode(origin)
            .build());
    output.message(response, () -> RouteExplanation.render(response));
    return ExitCodes.OK;
  }
}
