package dev.meshd.router.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.route.DispatchLedger;
import dev.meshd.router.route.RouteDecision;
import dev.meshd.router.route.Router;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat/completions} and {@code /v1/completions}: reads the request, decides the
 * targets, runs the attempts (retry, hedging), then streams the winner's response to the client
 * chunk by chunk as it arrives. A client that goes away cancels the upstream; an upstream that
 * breaks after bytes were sent breaks the client's response too (the connection is closed
 * without the final chunk), so a client never takes a truncated answer for a whole one.
 * Thread-safe; each exchange runs on its own virtual thread.
 */
final class CompletionProxy {

  private static final Logger LOG = LoggerFactory.getLogger(CompletionProxy.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final IngressSettings settings;
  private final Router router;
  private final Supplier<RouteRequest.Origin> origin;
  private final DispatchLedger ledger;
  private final IngressMetrics metrics;
  private final Tracer tracer;
  private final HttpClient client;
  private final TenantLimiter tenants = new TenantLimiter();

  CompletionProxy(IngressSettings settings, Router router, Supplier<RouteRequest.Origin> origin,
      DispatchLedger ledger, IngressMetrics metrics, Tracer tracer, HttpClient client) {
    this.settings = settings;
    this.router = router;
    this.origin = origin;
    this.ledger = ledger;
    this.metrics = metrics;
    this.tracer = tracer;
    this.client = client;
  }

  void handle(HttpExchange exchange) throws IOException {
    Span span = tracer.spanBuilder("meshd.router " + exchange.getRequestURI().getPath())
        .setSpanKind(SpanKind.SERVER).startSpan();
    try (var scope = span.makeCurrent()) {
      proxy(exchange, span);
    } finally {
      span.end();
    }
  }

  private void proxy(HttpExchange exchange, Span span) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(settings.maxRequestBytes() + 1);
    }
    if (body.length > settings.maxRequestBytes()) {
      reject(exchange, 413, "request body: larger than " + settings.maxRequestBytes()
          + " bytes", "invalid_request_error", "request_too_large", "", span);
      return;
    }
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      reject(exchange, 400, "request body: invalid JSON at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": "
          + e.getOriginalMessage(), "invalid_request_error", null, "", span);
      return;
    }
    if (request == null || !request.isObject()) {
      reject(exchange, 400, "request body: expected a JSON object", "invalid_request_error",
          null, "", span);
      return;
    }
    JsonNode modelNode = request.get("model");
    if (modelNode == null || !modelNode.isTextual() || modelNode.asText().isBlank()) {
      reject(exchange, 400, "model: required (a string)", "invalid_request_error", null, "",
          span);
      return;
    }
    String model = modelNode.asText();
    String tenant = TenantResolver.tenant(
        exchange.getRequestHeaders().getFirst(TenantResolver.TENANT_HEADER),
        exchange.getRequestHeaders().getFirst("Authorization"));
    span.setAttribute("meshd.model", model);
    span.setAttribute("meshd.tenant", tenant);
    span.setAttribute("meshd.stream", request.path("stream").asBoolean(false));
    int maxTokens = request.path("max_tokens").asInt(request.path("max_completion_tokens")
        .asInt(0));
    RouteDecision decision = router.choose(
        new RouteRequest(model, tenant, 0, Math.max(0, maxTokens), Optional.of(origin.get())),
        settings.maxAttempts());
    metrics.decision(decision);
    span.setAttribute("meshd.strategy", decision.strategy());
    switch (decision.outcome()) {
      case UNKNOWN_MODEL -> {
        reject(exchange, 404, "model \"" + model + "\" is not served in this mesh",
            "invalid_request_error", "model_not_found", model, span);
        return;
      }
      case ADMISSION_REJECTED -> {
        exchange.getResponseHeaders().set("Retry-After", "1");
        reject(exchange, 429, "model \"" + model + "\": every target is at its queue limit"
            + " (policy " + decision.policyName() + "); retry later", "rate_limit_exceeded",
            "admission_rejected", model, span);
        return;
      }
      case NO_ELIGIBLE_TARGET -> {
        exchange.getResponseHeaders().set("Retry-After", "1");
        reject(exchange, 503, "model \"" + model + "\": no eligible target: "
            + decision.rejectionSummary(), "service_unavailable", "no_target", model, span);
        return;
      }
      case ROUTED -> { }
    }
    int limit = decision.admission().maxInFlightPerTenant();
    if (!tenants.tryAcquire(tenant, limit)) {
      exchange.getResponseHeaders().set("Retry-After", "1");
      reject(exchange, 429, "tenant \"" + tenant + "\" has " + limit
          + " requests in flight (policy " + decision.policyName() + " allows " + limit + ")",
          "rate_limit_exceeded", "tenant_limit", model, span);
      return;
    }
    try {
      forward(exchange, body, decision, span);
    } finally {
      tenants.release(tenant);
    }
  }

  private void forward(HttpExchange exchange, byte[] body, RouteDecision decision, Span span)
      throws IOException {
    String model = decision.request().model();
    AttemptCoordinator coordinator = new AttemptCoordinator(client,
        target -> upstreamRequest(exchange, target, body),
        target -> ledger.recordDispatch(target.candidate().key()));
    AttemptCoordinator.Outcome outcome;
    try {
      outcome = coordinator.run(decision.ranked(), settings.maxAttempts(), decision.hedging());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("ingress stopping", e);
    }
    switch (outcome) {
      case AttemptCoordinator.Exhausted exhausted -> {
        metrics.retries(exhausted.retries());
        reject(exchange, 502, "model \"" + model + "\": every target tried failed before"
            + " answering: " + String.join("; ", exhausted.failures()), "upstream_error",
            "upstream_failed", model, span);
      }
      case AttemptCoordinator.Answered answered -> {
        metrics.retries(answered.retries());
        if (answered.hedged()) {
          metrics.hedge(answered.started().attempt().isHedge());
        }
        stream(exchange, answered.started(), model, span);
      }
    }
  }

  private HttpRequest upstreamRequest(HttpExchange exchange, ScoredTarget target, byte[] body) {
    String base = target.candidate().runtime();
    base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create(base + exchange.getRequestURI().getRawPath()))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (String name : new String[] {"Content-Type", "Authorization", "Accept"}) {
      String value = exchange.getRequestHeaders().getFirst(name);
      if (value != null) {
        request.header(name, value);
      }
    }
    return request.build();
  }

  private void stream(HttpExchange exchange, UpstreamAttempt.Started started, String model,
      Span span) throws IOException {
    ScoredTarget target = started.attempt().target();
    String node = target.candidate().nodeId();
    span.setAttribute("meshd.target", target.candidate().key());
    span.setAttribute("meshd.score", target.score());
    HttpResponse<InputStream> response = started.response();
    int status = response.statusCode();
    var headers = exchange.getResponseHeaders();
    response.headers().firstValue("content-type").ifPresent(v -> headers.set("Content-Type", v));
    response.headers().firstValue("cache-control").ifPresent(v -> headers.set("Cache-Control", v));
    headers.set("x-meshd-target", node);
    headers.set("x-meshd-runtime", target.candidate().runtime());
    IngressMetrics.Outcome ok = status < 400
        ? IngressMetrics.Outcome.OK : IngressMetrics.Outcome.CLIENT_ERROR;
    try (InputStream upstream = response.body()) {
      if (started.firstLength() < 0) {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
        metrics.request(model, node, ok);
        return;
      }
      exchange.sendResponseHeaders(status, 0);
      OutputStream out = exchange.getResponseBody();
      if (!write(out, started.first(), started.firstLength())) {
        clientGone(exchange, model, node, span);
        return;
      }
      byte[] buffer = new byte[UpstreamAttempt.CHUNK_BYTES];
      while (true) {
        int n;
        try {
          n = upstream.read(buffer);
        } catch (IOException e) {
          metrics.request(model, node, IngressMetrics.Outcome.BROKEN_STREAM);
          span.setStatus(StatusCode.ERROR, "upstream broke mid-response");
          LOG.warn("{}: response from {} broke after the first byte ({}); closing the client's"
              + " connection so that it sees an error", model, target.candidate().key(),
              e.toString());
          // Throwing with the response unfinished makes the HTTP server drop the connection
          // without the terminating chunk: the client sees an error, not a short answer.
          throw new IOException("upstream broke mid-response", e);
        }
        if (n < 0) {
          break;
        }
        if (!write(out, buffer, n)) {
          clientGone(exchange, model, node, span);
          return;
        }
      }
      out.close();
      metrics.request(model, node, ok);
      span.setAttribute("http.response.status_code", status);
    }
  }

  private void clientGone(HttpExchange exchange, String model, String node, Span span) {
    metrics.request(model, node, IngressMetrics.Outcome.CLIENT_CANCELLED);
    span.setStatus(StatusCode.ERROR, "client went away");
    try {
      exchange.close();
    } catch (RuntimeException e) {
      // The client's connection is gone; closing only releases the exchange.
    }
  }

  /** Writes and flushes one chunk; false when the client has gone away. */
  private static boolean write(OutputStream out, byte[] bytes, int length) {
    try {
      out.write(bytes, 0, length);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void reject(HttpExchange exchange, int status, String message, String type,
      String code, String model, Span span) throws IOException {
    IngressMetrics.Outcome outcome = switch (status) {
      case 404 -> IngressMetrics.Outcome.UNKNOWN_MODEL;
      case 429 -> "tenant_limit".equals(code)
          ? IngressMetrics.Outcome.TENANT_LIMITED : IngressMetrics.Outcome.ADMISSION_REJECTED;
      case 502 -> IngressMetrics.Outcome.UPSTREAM_FAILED;
      case 503 -> IngressMetrics.Outcome.NO_TARGET;
      default -> IngressMetrics.Outcome.BAD_REQUEST;
    };
    // Unknown names come from clients: never let them grow the label set.
    metrics.request(status == 404 || model.isEmpty() ? "unknown" : model, "none", outcome);
    span.setStatus(StatusCode.ERROR, message);
    span.setAttribute("http.response.status_code", status);
    IngressServer.sendJson(exchange, status, OpenAiErrors.body(message, type, code));
  }

}
