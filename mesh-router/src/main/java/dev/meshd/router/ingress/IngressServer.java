package dev.meshd.router.ingress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.route.DispatchLedger;
import dev.meshd.router.route.Router;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible HTTP ingress of a router agent ({@code listen.router}): {@code POST
 * /v1/chat/completions}, {@code POST /v1/completions} (proxied to the chosen runtime, streaming
 * passed through), {@code GET /v1/models} (what the mesh can route). The JDK's HTTP server on
 * virtual threads: one thread per exchange, blocking I/O, no buffering of responses.
 *
 * <p>{@link #close()} drains: it stops accepting at once, lets open requests and streams finish
 * for up to {@link IngressSettings#drainTimeout()}, then closes what is left. Idempotent.
 */
public final class IngressServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IngressServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient client;
  private final IngressSettings settings;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final InFlightExchanges inFlight;

  private IngressServer(HttpServer server, ExecutorService executor, HttpClient client,
      IngressSettings settings, InFlightExchanges inFlight) {
    this.inFlight = inFlight;
    this.server = server;
    this.executor = executor;
    this.client = client;
    this.settings = settings;
  }

  static final String NO_DELAY = "sun.net.httpserver.nodelay";

  /**
   * Makes the JDK HTTP server set TCP_NODELAY on the connections it accepts, unless the JVM was
   * started with {@value #NO_DELAY} set either way. Without it, a streamed response's small
   * writes meet the client's delayed ACK (Nagle's algorithm): about 1 % of requests then wait
   * ~40 ms (measured: ingress p99 45 ms without, 5 ms with). The server reads the property once,
   * when the first HTTP server of the JVM starts: call this first thing in {@code main}.
   */
  public static void enableNoDelay() {
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
  }

  /**
   * Binds and starts the ingress.
   *
   * @param origin this agent as a request's point of entry, for locality
   * @throws IOException naming the address when it cannot be bound
   */
  public static IngressServer start(IngressSettings settings, Router router,
      Supplier<RouteRequest.Origin> origin, DispatchLedger ledger, IngressMetrics metrics,
      Tracer tracer) throws IOException {
    if (!Boolean.getBoolean(NO_DELAY)) {
      LOG.warn("router ingress: {} is not true; streamed responses may stall ~40 ms on delayed"
          + " ACKs (see IngressServer.enableNoDelay)", NO_DELAY);
    }
    HttpServer server;
    try {
      server = HttpServer.create(settings.listen(), 512);
    } catch (IOException e) {
      throw new IOException("router ingress: cannot listen on "
          + settings.listen().getHostString() + ":" + settings.listen().getPort()
          + " (listen.router): " + e.getMessage(), e);
    }
    ExecutorService executor = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("ingress-", 0).factory());
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.connectTimeout())
        .executor(executor)
        .build();
    CompletionProxy proxy = new CompletionProxy(settings, router, origin, ledger, metrics,
        tracer, client);
    InFlightExchanges inFlight = new InFlightExchanges();
    server.createContext("/v1/", exchange -> {
      inFlight.enter();
      try {
        dispatch(exchange, proxy, router);
      } finally {
        inFlight.exit();
      }
    });
    server.createContext("/", exchange -> sendJson(exchange, 404, OpenAiErrors.body(
        "no route for " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
            + "; this is an OpenAI-compatible ingress (/v1/chat/completions, /v1/completions,"
            + " /v1/models)", "invalid_request_error", "not_found")));
    server.setExecutor(executor);
    server.start();
    LOG.info("router ingress listening on http://{}:{}", server.getAddress().getHostString(),
        server.getAddress().getPort());
    return new IngressServer(server, executor, client, settings, inFlight);
  }

  /** The bound address (the real port when the configured one was 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void dispatch(HttpExchange exchange, CompletionProxy proxy, Router router)
      throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    boolean completion = path.equals("/v1/chat/completions") || path.equals("/v1/completions");
    if (completion && method.equals("POST")) {
      proxy.handle(exchange);
    } else if (path.equals("/v1/models") && method.equals("GET")) {
      models(exchange, router);
    } else if (completion || path.equals("/v1/models")) {
      exchange.getResponseHeaders().set("Allow", completion ? "POST" : "GET");
      sendJson(exchange, 405, OpenAiErrors.body(method + " is not allowed on " + path,
          "invalid_request_error", "method_not_allowed"));
    } else {
      sendJson(exchange, 404, OpenAiErrors.body("no route for " + method + " " + path,
          "invalid_request_error", "not_found"));
    }
  }

  private static void models(HttpExchange exchange, Router router) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (String model : router.models()) {
      data.addObject().put("id", model).put("object", "model").put("owned_by", "meshd");
    }
    sendJson(exchange, 200, (root + "\n").getBytes(StandardCharsets.UTF_8));
  }

  static void sendJson(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long seconds = Math.max(1, (settings.drainTimeout().toMillis() + 999) / 1000);
    LOG.info("router ingress stopping: no new requests; {} open get up to {} s",
        inFlight.count(), seconds);
    // stop(delay) closes the listener at once, then waits for the server's own exchange count,
    // which aborted exchanges never leave (see InFlightExchanges). So it runs aside, the wait is
    // on this server's own count, and stop(0) then ends both calls.
    Thread stopping = Thread.ofVirtual().name("ingress-stop")
        .start(() -> server.stop((int) Math.min(Integer.MAX_VALUE, seconds)));
    try {
      if (!inFlight.awaitNone(settings.drainTimeout())) {
        LOG.warn("router ingress: {} requests still open after {} s; closing them",
            inFlight.count(), seconds);
      }
      server.stop(0);
      stopping.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.stop(0);
    } finally {
      client.shutdownNow();
      executor.shutdownNow();
    }
    LOG.info("router ingress stopped");
  }
}
