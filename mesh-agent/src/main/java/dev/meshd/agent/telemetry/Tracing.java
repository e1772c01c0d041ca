package dev.meshd.agent.telemetry;

import dev.meshd.core.config.TelemetryConfig;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's OpenTelemetry tracer: spans exported over OTLP/HTTP to {@code
 * telemetry.otlp-endpoint}, or a no-op tracer when no endpoint is configured (spans cost
 * nothing then). {@link #close()} flushes what is buffered, bounded at 2 s. Thread-safe.
 */
public final class Tracing implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
  private static final String INSTRUMENTATION = "dev.meshd.agent";

  private final Optional<SdkTracerProvider> provider;
  private final Tracer tracer;

  private Tracing(Optional<SdkTracerProvider> provider) {
    this.provider = provider;
    this.tracer =
        provider.<TracerProvider>map(p -> p).orElse(TracerProvider.noop()).get(INSTRUMENTATION);
  }

  /** Exports to {@code config.otlpEndpoint()} when set; otherwise traces nothing. */
  public static Tracing fromConfig(TelemetryConfig config, String nodeId) {
    if (config.otlpEndpoint().isEmpty()) {
      return new Tracing(Optional.empty());
    }
    String endpoint = tracesUrl(config.otlpEndpoint().get());
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder().setEndpoint(endpoint).setTimeout(Duration.ofSeconds(5))
            .build();
    Resource resource =
        Resource.getDefault()
            .merge(Resource.create(Attributes.builder()
                .put("service.name", config.serviceName())
                .put("service.instance.id", nodeId)
                .build()));
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .addSpanProcessor(BatchSpanProcessor.builder(exporter)
                .setScheduleDelay(Duration.ofSeconds(1))
                .build())
            .build();
    LOG.info("tracing: exporting spans to {}", endpoint);
    return new Tracing(Optional.of(provider));
  }

  /**
   * OTLP/HTTP collectors take traces at {@code /v1/traces}; an endpoint given as just
   * scheme://host:port gets that path, one with a path is used as it is.
   */
  static String tracesUrl(URI endpoint) {
    String path = endpoint.getPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return endpoint.resolve("/v1/traces").toString();
    }
    return endpoint.toString();
  }

  public Tracer tracer() {
    return tracer;
  }

  @Override
  public void close() {
    provider.ifPresent(p -> p.shutdown().join(2, TimeUnit.SECONDS));
  }
}
