package dev.meshd.fakeruntime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.meshd.fakeruntime.Faults;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

/**
 * {@code POST /v1/chat/completions} and {@code POST /v1/completions}. A request is validated,
 * meets the injected faults, takes its place in the {@link Engine}'s queue, and once it holds a
 * slot produces {@code max_tokens} tokens, the first after the TTFT and the rest at the
 * configured rate, as server-sent events flushed one by one or as one JSON object at the end.
 *
 * <p>Stateless apart from the shared engine, faults and id counter, all thread-safe; each
 * request runs on its own virtual thread and blocks while it waits or paces.
 */
public final class CompletionHandler implements HttpHandler {

  /**
   * Thrown out of {@link #handle} to make {@code HttpServer} drop the connection without the
   * closing chunk: the client sees a truncated stream, as when an engine crashes.
   */
  static final class AbruptClose extends RuntimeException {
    AbruptClose() {
      super("injected fault: connection closed mid-response", null, false, false);
    }
  }

  /** Engine settings a completion needs. */
  public record Pacing(Duration ttft, Duration tokenInterval, int maxTokensCap) {}

  private final CompletionRequest.Kind kind;
  private final Engine engine;
  private final OpenAiFormat format;
  private final ObjectMapper json;
  private final Set<String> models;
  private final AtomicReference<Faults> faults;
  private final Pacing pacing;
  private final String runtimeId;
  private final RandomGenerator random;
  private final AtomicLong requestIds;

  public CompletionHandler(CompletionRequest.Kind kind, Engine engine, OpenAiFormat format,
      ObjectMapper json, Set<String> models, AtomicReference<Faults> faults, Pacing pacing,
      String runtimeId, RandomGenerator random, AtomicLong requestIds) {
    this.kind = kind;
    this.engine = engine;
    this.format = format;
    this.json = json;
    this.models = Set.copyOf(models);
    this.faults = faults;
    this.pacing = pacing;
    this.runtimeId = runtimeId;
    this.random = random;
    this.requestIds = requestIds;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    boolean abort = false;
    try {
      serve(exchange);
    } catch (AbruptClose e) {
      // Left open on purpose: HttpServer closes the connection of a handler that throws
      // before its response is finished, without the closing chunk.
      abort = true;
      throw e;
    } finally {
      if (!abort) {
        exchange.close();
      }
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    if (Replies.refuseUnless(exchange, format, "POST")) {
      return;
    }
    CompletionRequest request;
    try {
      request = CompletionRequest.parse(kind, exchange.getRequestBody().readAllBytes(), json,
          pacing.maxTokensCap());
    } catch (BadRequestException e) {
      Replies.error(exchange, format, 400, e.getMessage(), "invalid_request_error",
          e.param(), null);
      return;
    }
    if (!models.contains(request.model())) {
      Replies.error(exchange, format, 404, "The model `" + request.model()
          + "` does not exist.", "invalid_request_error", "model", "model_not_found");
      return;
    }
    Faults now = faults.get();
    pause(now.stall());
    if (now.failRate() > 0 && random.nextDouble() < now.failRate()) {
      Replies.error(exchange, format, 500, "injected fault: fail-rate " + now.failRate(),
          "internal_server_error", null, null);
      return;
    }
    Engine.Ticket ticket;
    try {
      ticket = engine.admit(request.model(), request.promptTokens());
    } catch (Engine.QueueFullException e) {
      Replies.error(exchange, format, 503, e.getMessage(), "server_overloaded", null, null);
      return;
    }
    try (ticket) {
      generate(exchange, request, ticket, now);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The client went away: closing the ticket frees the slot for the next request.
    }
  }

  private void generate(HttpExchange exchange, CompletionRequest request, Engine.Ticket ticket,
      Faults now) throws IOException, InterruptedException {
    String id = (kind == CompletionRequest.Kind.CHAT ? "chatcmpl-" : "cmpl-") + runtimeId + "-"
        + requestIds.incrementAndGet();
    long created = System.currentTimeMillis() / 1000;
    OutputStream out = null;
    if (request.stream()) {
      // Headers go out at once, before the queue wait, as vLLM's do.
      exchange.getResponseHeaders().set("content-type", "text/event-stream");
      exchange.getResponseHeaders().set("cache-control", "no-cache");
      exchange.sendResponseHeaders(200, 0);
      out = exchange.getResponseBody();
      out.flush();
    }
    ticket.awaitSlot();
    long start = System.nanoTime() + pacing.ttft().toNanos();
    for (int i = 0; i < request.maxTokens(); i++) {
      if (now.closesMidStream() && i == now.failAfterTokens()) {
        throw new AbruptClose();
      }
      pauseUntil(start + i * pacing.tokenInterval().toNanos());
      ticket.onToken();
      if (out != null) {
        out.write(format.chunk(request, id, created, OpenAiFormat.token(i), i == 0, null));
        out.flush();
      }
    }
    if (now.closesMidStream() && now.failAfterTokens() == request.maxTokens()) {
      throw new AbruptClose();
    }
    if (out == null) {
      Replies.json(exchange, 200, format.completion(request, id, created, request.maxTokens()));
      return;
    }
    out.write(format.chunk(request, id, created, null, false, "length"));
    if (request.includeUsage()) {
      out.write(format.usageChunk(request, id, created, request.maxTokens()));
    }
    out.write(OpenAiFormat.done());
    out.close();
  }

  private static void pause(Duration delay) throws IOException {
    if (delay.isPositive()) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stalling", e);
      }
    }
  }

  private static void pauseUntil(long deadlineNanos) throws InterruptedException {
    long wait = deadlineNanos - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(Duration.ofNanos(wait));
    }
  }
}
