package dev.meshd.agent.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.meshd.core.config.TlsConfig;
import dev.meshd.core.security.PemFiles;
import dev.meshd.testkit.TestCertificateAuthority;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class CertificateExpiryTest {

  @TempDir Path dir;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(CertificateExpiry.class);
  private TlsConfig tls;
  private Instant notAfter;

  @BeforeEach
  void issue() {
    TestCertificateAuthority.Issued issued =
        TestCertificateAuthority.create("ca").issue(dir, "node1");
    tls = new TlsConfig(issued.cert(), issued.key(), null);
    notAfter = PemFiles.certificates(issued.cert()).getFirst().getNotAfter().toInstant();
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(logged);
  }

  @Test
  void theExpiryIsAGaugeInSecondsSinceTheEpoch() {
    CertificateExpiry.report(Optional.of(tls), registry, daysBefore(90));

    assertThat(registry.scrape()).contains(
        "meshd_tls_certificate_expiry_timestamp_seconds " + (double) notAfter.getEpochSecond());
  }

  @Test
  void lessThanThirtyDaysLeftIsAWarningAndMoreIsInformation() {
    CertificateExpiry.report(Optional.of(tls), registry, daysBefore(12));
    CertificateExpiry.report(Optional.of(tls),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), daysBefore(31));

    assertThat(logged.list).extracting(ILoggingEvent::getLevel)
        .containsExactly(Level.WARN, Level.INFO);
    assertThat(logged.list.getFirst().getFormattedMessage())
        .contains(tls.cert() + " expires at " + notAfter + ", in 12 days: renew it");
  }

  @Test
  void withoutTlsThereIsNothingToReport() {
    CertificateExpiry.report(Optional.empty(), registry, Clock.systemUTC());

    assertThat(registry.scrape()).doesNotContain("meshd_tls_certificate");
    assertThat(logged.list).isEmpty();
  }

  private Clock daysBefore(int days) {
    return Clock.fixed(notAfter.minus(Duration.ofDays(days)), ZoneOffset.UTC);
  }
}
