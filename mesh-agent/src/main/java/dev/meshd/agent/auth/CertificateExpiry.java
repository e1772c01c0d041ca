package dev.meshd.agent.auth;

import dev.meshd.core.config.TlsConfig;
import dev.meshd.core.security.PemFiles;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the agent's {@code security.tls.cert} expires, where operators look: a gauge of its
 * expiry time ({@code meshd_tls_certificate_expiry_timestamp_seconds}, for an alert such as
 * {@code meshd_tls_certificate_expiry_timestamp_seconds - time() < 14 * 86400}) and, at start, a
 * warning when less than {@link #WARN_WITHIN} is left. An expired certificate never gets here:
 * the config refuses it. Certificates are read at start, so a renewal takes a restart, which also
 * moves the gauge. Stateless.
 */
public final class CertificateExpiry {

  /** Left before expiry, below which the start log warns. */
  public static final Duration WARN_WITHIN = Duration.ofDays(30);

  private static final Logger LOG = LoggerFactory.getLogger(CertificateExpiry.class);

  private CertificateExpiry() {}

  /** Registers the gauge and logs the certificate's expiry; nothing without TLS. */
  public static void report(Optional<TlsConfig> tls, MeterRegistry registry, Clock clock) {
    tls.ifPresent(config -> {
      Instant notAfter =
          PemFiles.certificates(config.cert()).getFirst().getNotAfter().toInstant();
      Gauge.builder("meshd.tls.certificate.expiry.timestamp", notAfter::getEpochSecond)
          .baseUnit("seconds")
          .description("When the agent's TLS certificate (security.tls.cert) expires, in "
              + "seconds since the epoch")
          .register(registry);
      Duration left = Duration.between(clock.instant(), notAfter);
      if (left.compareTo(WARN_WITHIN) < 0) {
        LOG.warn("tls: {} expires at {}, in {}: renew it and restart this agent before then, "
            + "or every peer will refuse it", config.cert(), notAfter, describe(left));
      } else {
        LOG.info("tls: {} valid until {}", config.cert(), notAfter);
      }
    });
  }

  private static String describe(Duration left) {
    return left.toDays() >= 1 ? left.toDays() + " days" : left.toHours() + " hours";
  }
}
