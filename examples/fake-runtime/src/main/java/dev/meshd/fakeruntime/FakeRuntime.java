package dev.meshd.fakeruntime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.meshd.fakeruntime.internal.AdminFaultsHandler;
import dev.meshd.fakeruntime.internal.CompletionHandler;
import dev.meshd.fakeruntime.internal.CompletionRequest;
import dev.meshd.fakeruntime.internal.Engine;
import dev.meshd.fakeruntime.internal.InFlight;
import dev.meshd.fakeruntime.internal.MetricsHandler;
import dev.meshd.fakeruntime.internal.ModelsHandler;
import dev.meshd.fakeruntime.internal.OpenAiFormat;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

/**
 * A fake OpenAI-compatible inference runtime, for the example mesh and for end-to-end tests of
 * the router; <b>test and demo only</b>. It serves {@code /v1/chat/completions}, {@code
 * /v1/completions} and {@code /v1/models}, generates deterministic words at a configured rate
 * through a real slot-and-queue scheduler, reports that scheduler's state on {@code /metrics}
 * in vLLM's format, and injects faults ({@code /admin/faults}). Every answer carries {@code
 * x-fake-runtime-id}, so a test can tell which runtime served a request.
 *
 * <p>Lifecycle: {@link #start} binds and serves; {@link #stop} refuses new connections, lets
 * running responses finish up to a grace period, then closes; safe to call twice. Thread-safe.
 */
public final class FakeRuntime implements AutoCloseable {

  /** The header naming the runtime that answered. */
  public static final String ID_HEADER = "x-fake-runtime-id";

  private final FakeRuntimeConfig config;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Engine engine;
  private final AtomicReference<Faults> faults;
  private final String id;
  private final InFlight inFlight;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private FakeRuntime(FakeRuntimeConfig config, HttpServer server, ExecutorService executor,
      Engine engine, AtomicReference<Faults> faults, String id, InFlight inFlight) {
    this.config = config;
    this.server = server;
    this.executor = executor;
    this.engine = engine;
    this.faults = faults;
    this.id = id;
    this.inFlight = inFlight;
  }

  /** Binds {@code config.listen()} and starts serving. */
  public static FakeRuntime start(FakeRuntimeConfig config) throws IOException {
    return start(config, RandomGenerator.getDefault());
  }

  /** As {@link #start(FakeRuntimeConfig)}, with the randomness behind {@code failRate}. */
  public static FakeRuntime start(FakeRuntimeConfig config, RandomGenerator random)
      throws IOException {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(random, "random");
    HttpServer server = HttpServer.create(config.listen(), 256);
    String id = config.id() != null ? config.id()
        : Integer.toString(server.getAddress().getPort());
    ObjectMapper json = new ObjectMapper();
    OpenAiFormat format = new OpenAiFormat(json);
    Engine engine = new Engine(config.models(), config.slots(), config.maxQueue(),
        config.kvCapacityTokens());
    AtomicReference<Faults> faults = new AtomicReference<>(config.faults());
    CompletionHandler.Pacing pacing = new CompletionHandler.Pacing(config.ttft(),
        config.tokenInterval(), FakeRuntimeConfig.MAX_TOKENS_CAP);
    AtomicLong requestIds = new AtomicLong();
    InFlight inFlight = new InFlight();
    List<Filter> filters = List.of(inFlight, Filter.beforeHandler("sets " + ID_HEADER,
        exchange -> exchange.getResponseHeaders().set(ID_HEADER, id)));
    for (CompletionRequest.Kind kind : CompletionRequest.Kind.values()) {
      String path = kind == CompletionRequest.Kind.CHAT ? "/v1/chat/completions"
          : "/v1/completions";
      add(server, path, filters, new CompletionHandler(kind, engine, format, json,
          Set.copyOf(config.models()), faults, pacing, id, random, requestIds));
    }
    long created = System.currentTimeMillis() / 1000;
    add(server, "/v1/models", filters, new ModelsHandler(config.models(), format, created));
    add(server, "/metrics", filters, new MetricsHandler(engine, format));
    add(server, "/admin/faults", filters, new AdminFaultsHandler(faults, json, format));
    add(server, "/", filters, exchange -> {
      try (exchange) {
        byte[] body = format.error("no route " + exchange.getRequestURI().getPath(),
            "invalid_request_error", null, "not_found");
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.start();
    return new FakeRuntime(config, server, executor, engine, faults, id, inFlight);
  }

  private static void add(HttpServer server, String path, List<Filter> filters,
      HttpHandler handler) {
    HttpContext context = server.createContext(path, handler);
    context.getFilters().addAll(filters);
  }

  /** The bound address (the real port when the config asked for port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** {@code http://host:port}, without a trailing slash. */
  public URI baseUri() {
    InetSocketAddress a = address();
    return URI.create("http://" + a.getHostString() + ":" + a.getPort());
  }

  /** The value of {@link #ID_HEADER} on this runtime's answers. */
  public String id() {
    return id;
  }

  public List<String> models() {
    return config.models();
  }

  public Faults faults() {
    return faults.get();
  }

  /** Replaces the injected faults; requests already past their fault checks keep the old. */
  public void setFaults(Faults next) {
    faults.set(Objects.requireNonNull(next, "next"));
  }

  /** Requests waiting for a slot, summed over models: vLLM's {@code num_requests_waiting}. */
  public int waiting() {
    return engine.snapshot().byModel().values().stream().mapToInt(Engine.ModelLoad::waiting)
        .sum();
  }

  /** Requests holding a slot: vLLM's {@code num_requests_running}. */
  public int running() {
    return engine.snapshot().byModel().values().stream().mapToInt(Engine.ModelLoad::running)
        .sum();
  }

  /**
   * Stops accepting connections, waits up to {@code grace} (whole seconds, rounded up) for
   * running responses, then closes every connection. Idempotent.
   */
  public void stop(Duration grace) {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    int seconds = (int) Math.min(Integer.MAX_VALUE,
        grace.toSeconds() + (grace.toNanosPart() > 0 ? 1 : 0));
    // HttpServer.stop closes the listener at once, then waits for the exchanges it counts;
    // after an injected abrupt close that count never reaches zero (see InFlight), so the wait
    // is cut short once this runtime's own handlers are done.
    Thread serverStop = Thread.ofPlatform().name("fake-runtime-http-stop")
        .start(() -> server.stop(seconds));
    try {
      inFlight.awaitIdle(grace);
      serverStop.interrupt();
      serverStop.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
  }

  /** {@link #stop} with no grace: for tests. */
  @Override
  public void close() {
    stop(Duration.ZERO);
  }
}
