package dev.meshd.fakeruntime;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fake-runtime}: runs one {@link FakeRuntime} until SIGTERM or SIGINT, then lets running
 * responses finish for up to 5 s. Prints {@code fake-runtime listening on http://HOST:PORT
 * models=[...]} once bound (tests and scripts read the port from it). Exit codes: 0 after a
 * stop, 1 when the address cannot be bound, 2 for bad options.
 */
@Command(name = "fake-runtime", mixinStandardHelpOptions = true, version = "fake-runtime 0.1",
    sortOptions = false,
    description = {
        "A fake OpenAI-compatible inference runtime with vLLM-format /metrics.",
        "TEST AND DEMO ONLY: it generates fixed words, not text."})
public final class FakeRuntimeMain implements Callable<Integer> {

  /** Time running streams get to finish after SIGTERM. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8000",
      converter = AddressConverter.class,
      description = "Address to serve on; port 0 picks a free one (default: ${DEFAULT-VALUE}).")
  InetSocketAddress listen;

  @Option(names = "--id", paramLabel = "ID",
      description = "Value of the x-fake-runtime-id header (default: the port).")
  String id;

  @Option(names = "--model", paramLabel = "NAME",
      description = "A served model name; repeatable (default: "
          + FakeRuntimeConfig.DEFAULT_MODEL + ").")
  List<String> models;

  @Option(names = "--slots", paramLabel = "N", defaultValue = "4",
      description = "Concurrent generations; more requests wait in FIFO order "
          + "(default: ${DEFAULT-VALUE}).")
  int slots;

  @Option(names = "--max-queue", paramLabel = "N", defaultValue = "64",
      description = "Waiting requests beyond which new ones get 503 (default: ${DEFAULT-VALUE}).")
  int maxQueue;

  @Option(names = "--tokens-per-second", paramLabel = "RATE", defaultValue = "50",
      description = "Generation rate of each request (default: ${DEFAULT-VALUE}).")
  double tokensPerSecond;

  @Option(names = "--ttft", paramLabel = "DURATION", defaultValue = "50ms",
      converter = DurationConverter.class,
      description = "Delay from taking a slot to the first token, e.g. 50ms, 1s "
          + "(default: ${DEFAULT-VALUE}).")
  Duration ttft;

  @Option(names = "--kv-capacity-tokens", paramLabel = "N", defaultValue = "8192",
      description = "KV-cache budget: vllm:kv_cache_usage_perc is the prompt and generated "
          + "tokens of running requests over this (default: ${DEFAULT-VALUE}).")
  long kvCapacityTokens;

  @Option(names = "--fail-rate", paramLabel = "R", defaultValue = "0",
      description = "Fault: fraction 0..1 of completion requests answered 500 "
          + "(default: ${DEFAULT-VALUE}).")
  double failRate;

  @Option(names = "--fail-after-tokens", paramLabel = "N", defaultValue = "-1",
      description = "Fault: close the connection abruptly after N tokens; -1: never "
          + "(default: ${DEFAULT-VALUE}).")
  int failAfterTokens;

  @Option(names = "--stall", paramLabel = "DURATION", defaultValue = "0ms",
      converter = DurationConverter.class,
      description = "Fault: delay before the first byte of every completion "
          + "(default: ${DEFAULT-VALUE}).")
  Duration stall;

  @Option(names = "--exit-with-parent",
      description = "Stop (as on SIGTERM) when the process that started this one exits, even "
          + "by SIGKILL, so a killed test harness leaves no runtime behind.")
  boolean exitWithParent;

  @Override
  public Integer call() {
    // Taken first: a parent that dies while this starts would leave it reparented.
    java.util.Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    FakeRuntimeConfig config;
    try {
      config = new FakeRuntimeConfig(listen, id,
          models == null || models.isEmpty() ? List.of(FakeRuntimeConfig.DEFAULT_MODEL) : models,
          slots, maxQueue, tokensPerSecond, ttft, kvCapacityTokens,
          new Faults(failRate, failAfterTokens, stall));
    } catch (IllegalArgumentException e) {
      System.err.println("fake-runtime: " + e.getMessage());
      return 2;
    }
    FakeRuntime runtime;
    try {
      runtime = FakeRuntime.start(config);
    } catch (IOException e) {
      System.err.println("fake-runtime: cannot listen on " + listen.getHostString() + ":"
          + listen.getPort() + ": " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("fake-runtime-stop")
        .unstarted(() -> {
          runtime.stop(STOP_GRACE);
          stopped.countDown();
        }));
    System.out.println("fake-runtime listening on " + runtime.baseUri() + " models="
        + config.models());
    System.out.flush();
    if (exitWithParent) {
      parent.ifPresent(p -> p.onExit().thenRun(() -> System.exit(0)));
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  public static void main(String[] args) {
    // Tokens are small writes: without TCP_NODELAY they meet the client's delayed ACK and some
    // stall ~40 ms. The JDK server reads this once, when the first server starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    CommandLine cli = new CommandLine(new FakeRuntimeMain());
    cli.setErr(new PrintWriter(System.err, true));
    System.exit(cli.execute(args));
  }

  /** {@code HOST:PORT}, port 0..65535. */
  static final class AddressConverter implements CommandLine.ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
      int colon = value.lastIndexOf(':');
      if (colon <= 0 || colon == value.length() - 1) {
        throw new CommandLine.TypeConversionException(
            "\"" + value + "\" (expected: HOST:PORT, e.g. 127.0.0.1:8000)");
      }
      int port;
      try {
        port = Integer.parseInt(value.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 0 || port > 65535) {
        throw new CommandLine.TypeConversionException(
            "port \"" + value.substring(colon + 1) + "\" (expected: 0-65535)");
      }
      return new InetSocketAddress(value.substring(0, colon), port);
    }
  }

  /** {@code 250ms}, {@code 2s}, or a number of milliseconds. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.strip();
      try {
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
          return Duration.ofMillis(
              Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        return Duration.ofMillis(Long.parseLong(v));
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException(
            "\"" + value + "\" (expected: a duration such as 50ms or 1.5s)");
      }
    }
  }
}
