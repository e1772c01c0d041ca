package dev.meshd.cli.testing;

import dev.meshd.cli.MeshCli;
import dev.meshd.cli.command.CliContext;
import dev.meshd.cli.connect.ChannelFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Runs {@link MeshCli#run} with captured stdout and stderr, a fixed clock and the channels of a
 * {@link FakeAgent}. Immutable; each {@link #run} captures afresh.
 *
 * @param env the environment the command sees
 * @param channels how the command reaches the agent
 * @param terminal whether stdout counts as a terminal
 * @param stdin what the command reads from stdin ({@code -f -})
 */
public record CliRunner(
    Map<String, String> env, ChannelFactory channels, boolean terminal, String stdin) {

  /** "Now" for every test: ages in expected tables are relative to it. */
  public static final Instant NOW = Instant.parse("2025-11-22T08:00:00Z");

  /** Against {@code agent}, with an empty environment and a stdout that is not a terminal. */
  public static CliRunner against(FakeAgent agent) {
    return new CliRunner(Map.of(), agent.channels(), false, "");
  }

  /** Against real channels, for an agent that is only an address. */
  public static CliRunner plaintext() {
    return new CliRunner(Map.of(), ChannelFactory.plaintext(), false, "");
  }

  public CliRunner withEnv(Map<String, String> newEnv) {
    return new CliRunner(newEnv, channels, terminal, stdin);
  }

  public CliRunner withTerminal() {
    return new CliRunner(env, channels, true, stdin);
  }

  public CliRunner withStdin(String text) {
    return new CliRunner(env, channels, terminal, text);
  }

  /** Runs the command line; {@code args} as a user would type them after {@code mesh-cli}. */
  public Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      CliContext context =
          new CliContext(
              new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), outStream,
              errStream, env, Clock.fixed(NOW, ZoneOffset.UTC), channels, terminal);
      int exitCode = MeshCli.run(args, context);
      return new Result(
          exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  /** What one run left behind. */
  public record Result(int exitCode, String out, String err) {}
}
