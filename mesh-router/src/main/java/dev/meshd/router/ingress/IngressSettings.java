package dev.meshd.router.ingress;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How the OpenAI-compatible ingress listens and proxies.
 *
 * @param listen where it accepts HTTP requests ({@code listen.router})
 * @param maxAttempts targets tried per request, hedges included: the first choice plus
 *     alternates after a connect failure or a 5xx before the first byte
 * @param connectTimeout bound on connecting to a runtime
 * @param drainTimeout on stop, how long open requests and streams may take to finish
 * @param maxRequestBytes largest request body accepted (413 beyond)
 */
public record IngressSettings(
    InetSocketAddress listen,
    int maxAttempts,
    Duration connectTimeout,
    Duration drainTimeout,
    int maxRequestBytes) {

  /**
   * Three attempts: the choice and two alternates, enough to get past one dead runtime and one
   * overloaded one without multiplying load on a fleet in trouble. Streams may take 30 s to
   * finish on stop (a typical chat completion).
   */
  public static IngressSettings defaults(InetSocketAddress listen) {
    return new IngressSettings(listen, 3, DEFAULT_CONNECT_TIMEOUT, Duration.ofSeconds(30),
        DEFAULT_MAX_REQUEST_BYTES);
  }

  /** Connect within 2 s on a LAN, or the runtime is down. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** 16 MiB: long contexts with images stay well below. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 16 << 20;

  public IngressSettings {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
    }
    if (maxRequestBytes < 1) {
      throw new IllegalArgumentException("maxRequestBytes: " + maxRequestBytes
          + " (expected: >= 1)");
    }
  }

  public IngressSettings withDrainTimeout(Duration timeout) {
    return new IngressSettings(listen, maxAttempts, connectTimeout, timeout, maxRequestBytes);
  }
}
