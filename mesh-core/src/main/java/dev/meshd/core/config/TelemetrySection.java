package dev.meshd.core.config;

import java.util.List;

/** Reads {@code telemetry:} into a {@link TelemetryConfig}. Stateless. */
final class TelemetrySection {

  static final List<String> KEYS = List.of("otlp-endpoint", "service-name");

  private TelemetrySection() {}

  static TelemetryConfig read(MappingReader telemetry) {
    // No endpoint: tracing stays off unless a collector is named (null or empty both mean off).
    return new TelemetryConfig(
        telemetry.get("otlp-endpoint").httpUrl(),
        telemetry.get("service-name").nonBlankText().orElse("meshd"));
  }
}
