package dev.meshd.fakeruntime.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.List;

/** {@code GET /v1/models}: the served models in OpenAI's list format. Immutable. */
public final class ModelsHandler implements HttpHandler {

  private final List<String> models;
  private final OpenAiFormat format;
  private final long created;

  public ModelsHandler(List<String> models, OpenAiFormat format, long createdEpochSeconds) {
    this.models = List.copyOf(models);
    this.format = format;
    this.created = createdEpochSeconds;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (Replies.refuseUnless(exchange, format, "GET")) {
        return;
      }
      Replies.json(exchange, 200, format.models(models, created));
    }
  }
}
