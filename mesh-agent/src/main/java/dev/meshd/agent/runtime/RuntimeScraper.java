package dev.meshd.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshd.core.config.RuntimeConfig;
import dev.meshd.core.signal.ModelLoad;
import dev.meshd.core.signal.RuntimeSignal;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one runtime: its served models from {@code /v1/models} when the config names none (asked
 * again every {@link #MODELS_REFRESH} and after a failure), and its load from {@code /metrics}.
 * Every failure becomes an unhealthy {@link RuntimeSignal} with a one-line reason; nothing is
 * thrown.
 *
 * <p>Each model's decode rate ({@link ModelLoad#decodeTokensPerSecond()}) is measured here,
 * between consecutive healthy scrapes by the injected clock; the previous histogram or counter,
 * running count and time of each model are this scraper's state ({@link DecodeRates} has the
 * rules). An unhealthy scrape leaves that state as it was.
 *
 * <p>Not thread-safe: one scrape at a time, which {@link RuntimeMonitor} guarantees.
 */
public final class RuntimeScraper {

  /** How often discovered models are asked again: a runtime may be restarted with others. */
  static final Duration MODELS_REFRESH = Duration.ofSeconds(30);

  /** A body larger than this is not a runtime's metrics page. */
  private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RuntimeConfig config;
  private final HttpClient http;
  private final Clock clock;
  private final Duration timeout;
  private final DecodeRates decodeRates;
  private List<String> discoveredModels = List.of();
  private Instant modelsAskedAt = Instant.MIN;

  public RuntimeScraper(RuntimeConfig config, HttpClient http, Clock clock, Duration timeout) {
    this.config = config;
    this.http = http;
    this.clock = clock;
    this.timeout = timeout;
    this.decodeRates = new DecodeRates(config.scrapeInterval(),
        RuntimeMetricsReader.counterGrowsInLumps(config.kind()));
  }

  public RuntimeConfig config() {
    return config;
  }

  /** The models this runtime serves: configured, else the last answer of {@code /v1/models}. */
  public List<String> servedModels() {
    return config.models().isEmpty() ? discoveredModels : config.models();
  }

  /** One scrape; never throws. */
  public RuntimeSignal scrape() {
    try {
      if (config.models().isEmpty() && modelsDue()) {
        discoverModels();
      }
      String body = get("/metrics");
      // One instant for the observation and the rate window: the time the body arrived.
      Instant at = clock.instant();
      List<ModelReading> readings = RuntimeMetricsReader.read(config.kind(), body,
          servedModels());
      return RuntimeSignal.healthy(config.kind(), config.endpoint().toString(),
          decodeRates.measure(readings, at), at);
    } catch (ScrapeException | RuntimeMetricsException e) {
      if (config.models().isEmpty()) {
        modelsAskedAt = Instant.MIN; // ask again: it may have come back with other models
      }
      return RuntimeSignal.unhealthy(config.kind(), config.endpoint().toString(), e.getMessage(),
          clock.instant());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return RuntimeSignal.unhealthy(config.kind(), config.endpoint().toString(),
          "scrape interrupted", clock.instant());
    }
  }

  private boolean modelsDue() {
    // modelsAskedAt stays Instant.MIN until an answer named at least one model.
    return Duration.between(modelsAskedAt, clock.instant()).compareTo(MODELS_REFRESH) >= 0;
  }

  private void discoverModels() throws ScrapeException, InterruptedException {
    String body = get("/v1/models");
    List<String> models = new ArrayList<>();
    try {
      JsonNode data = JSON.readTree(body).path("data");
      if (!data.isArray()) {
        throw new ScrapeException("GET /v1/models: no \"data\" array in the answer");
      }
      for (JsonNode model : data) {
        String id = model.path("id").asText("");
        if (!id.isBlank()) {
          models.add(id);
        }
      }
    } catch (IOException e) {
      throw new ScrapeException("GET /v1/models: not JSON (" + firstLine(e.getMessage()) + ")");
    }
    if (models.isEmpty()) {
      throw new ScrapeException("GET /v1/models: the runtime serves no model");
    }
    discoveredModels = List.copyOf(models);
    modelsAskedAt = clock.instant();
  }

  private String get(String path) throws ScrapeException, InterruptedException {
    URI uri = config.endpoint().resolve(path);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    HttpResponse<InputStream> response;
    byte[] body;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        // Read at most one byte past the limit: a runaway body must not fill the agent's heap.
        body = in.readNBytes(MAX_BODY_BYTES + 1);
      }
    } catch (HttpTimeoutException e) {
      throw new ScrapeException("GET " + path + ": no answer within " + timeout.toMillis() + " ms");
    } catch (ConnectException e) {
      throw new ScrapeException("GET " + uri + ": connection refused");
    } catch (IOException e) {
      throw new ScrapeException("GET " + uri + ": " + firstLine(String.valueOf(e.getMessage())));
    }
    if (response.statusCode() != 200) {
      throw new ScrapeException("GET " + path + ": HTTP " + response.statusCode());
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new ScrapeException("GET " + path + ": body larger than " + MAX_BODY_BYTES + " bytes");
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** A failed HTTP step; the message is the reason shown to operators. */
  private static final class ScrapeException extends Exception {
    ScrapeException(String message) {
      super(message);
    }
  }
}
