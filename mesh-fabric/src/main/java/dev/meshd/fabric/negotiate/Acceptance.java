package dev.meshd.fabric.negotiate;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The downstream end's yes to one transport of an offer: its own endpoint, and the responder
 * (listening endpoint, registered memory, open libfabric endpoint, ...) that will answer the
 * upstream's probe. {@link #close()} releases the responder; the negotiator calls it once the
 * try of this transport is over (whatever its outcome), or when the negotiation ends. A link that
 * is then used opens its own data path; the probe's responder is not kept.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class Acceptance implements AutoCloseable {

  private final TransportEndpoint endpoint;
  private final Runnable release;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Acceptance(TransportEndpoint endpoint, Runnable release) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.release = Objects.requireNonNull(release, "release");
  }

  /** Accepted, with a responder that {@code release} frees. */
  public static Acceptance of(TransportEndpoint endpoint, Runnable release) {
    return new Acceptance(endpoint, release);
  }

  /** Accepted, with nothing to free (the responder is long-lived, e.g. the QUIC server). */
  public static Acceptance withoutResponder(TransportEndpoint endpoint) {
    return new Acceptance(endpoint, () -> {});
  }

  public TransportEndpoint endpoint() {
    return endpoint;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      release.run();
    }
  }
}
