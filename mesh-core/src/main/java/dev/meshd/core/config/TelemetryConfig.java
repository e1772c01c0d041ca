package dev.meshd.core.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code telemetry:} trace export.
 *
 * @param otlpEndpoint OTLP/HTTP collector; empty: traces are not exported
 * @param serviceName {@code service.name} resource attribute; default {@code meshd}
 */
public record TelemetryConfig(Optional<URI> otlpEndpoint, String serviceName) {
  public TelemetryConfig {
    otlpEndpoint = otlpEndpoint == null ? Optional.empty() : otlpEndpoint;
    serviceName = Objects.requireNonNullElse(serviceName, "meshd");
  }
}
