package dev.meshd.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class TracingTest {

  @Test
  void bareCollectorAddressGetsTheOtlpTracesPath() {
    assertThat(Tracing.tracesUrl(URI.create("http://collector:4318")))
        .isEqualTo("http://collector:4318/v1/traces");
    assertThat(Tracing.tracesUrl(URI.create("http://collector:4318/")))
        .isEqualTo("http://collector:4318/v1/traces");
    assertThat(Tracing.tracesUrl(URI.create("https://gw.example/otlp/v1/traces")))
        .isEqualTo("https://gw.example/otlp/v1/traces");
  }
}
