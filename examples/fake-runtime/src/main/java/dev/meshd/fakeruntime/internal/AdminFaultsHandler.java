package dev.meshd.fakeruntime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.meshd.fakeruntime.Faults;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code /admin/faults}, test and demo only: {@code GET} shows the injected faults, {@code POST}
 * with {@code {"failRate":0.5,"failAfterTokens":3,"stallMillis":200}} changes the fields it
 * names and answers with the result. {@code failAfterTokens} null or negative: off. The faults
 * live in one {@link AtomicReference}; handlers read it once per request.
 */
public final class AdminFaultsHandler implements HttpHandler {

  private static final Set<String> KEYS = Set.of("failRate", "failAfterTokens", "stallMillis");

  private final AtomicReference<Faults> faults;
  private final ObjectMapper json;
  private final OpenAiFormat format;

  public AdminFaultsHandler(AtomicReference<Faults> faults, ObjectMapper json,
      OpenAiFormat format) {
    this.faults = faults;
    this.json = json;
    this.format = format;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (exchange.getRequestMethod().equals("GET")) {
        if (!Replies.refuseUnless(exchange, format, "GET")) {
          Replies.json(exchange, 200, render(faults.get()));
        }
        return;
      }
      if (Replies.refuseUnless(exchange, format, "POST")) {
        return;
      }
      Faults updated;
      try {
        JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
        updated = apply(faults.get(), body);
      } catch (IOException | IllegalArgumentException e) {
        Replies.error(exchange, format, 400, "faults: " + e.getMessage(),
            "invalid_request_error", null, null);
        return;
      }
      faults.set(updated);
      Replies.json(exchange, 200, render(updated));
    }
  }

  private static Faults apply(Faults current, JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("expected a JSON object with " + KEYS);
    }
    body.fieldNames().forEachRemaining(key -> {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key " + key + " (expected one of " + KEYS
            + ")");
      }
    });
    Faults out = current;
    if (body.has("failRate")) {
      out = out.withFailRate(number(body, "failRate").doubleValue());
    }
    if (body.has("failAfterTokens")) {
      JsonNode n = body.get("failAfterTokens");
      out = out.withFailAfterTokens(n.isNull() ? -1 : number(body, "failAfterTokens").intValue());
    }
    if (body.has("stallMillis")) {
      out = out.withStall(Duration.ofMillis(number(body, "stallMillis").longValue()));
    }
    return out;
  }

  private static Number number(JsonNode body, String key) {
    JsonNode n = body.get(key);
    if (!n.isNumber()) {
      throw new IllegalArgumentException(key + ": " + n + " (expected: a number)");
    }
    return n.numberValue();
  }

  private byte[] render(Faults f) throws IOException {
    ObjectNode root = json.createObjectNode();
    root.put("failRate", f.failRate());
    root.put("failAfterTokens", f.failAfterTokens());
    root.put("stallMillis", f.stall().toMillis());
    return json.writeValueAsBytes(root);
  }
}
