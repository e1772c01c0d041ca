package dev.meshd.fabric.libfabric;

import dev.meshd.fabric.libfabric.internal.EndpointRequest;
import dev.meshd.fabric.libfabric.internal.FabricCallException;
import dev.meshd.fabric.libfabric.internal.FabricLibrary;
import dev.meshd.fabric.libfabric.internal.FiStructs;
import dev.meshd.fabric.libfabric.internal.LibraryUnavailableException;
import dev.meshd.fabric.libfabric.internal.ProbeClientSession;
import dev.meshd.fabric.libfabric.internal.RdmEndpoint;
import dev.meshd.fabric.libfabric.internal.RemoteTarget;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of the libfabric payload probe: given the address a
 * {@link LibfabricProbeResponder} published ({@code fi_getname} bytes, carried opaquely in a
 * negotiation offer), it proves the path with the probe protocol of
 * {@link dev.meshd.fabric.probe} and measures it.
 *
 * <p>Each call opens its own endpoint (fabric, domain, address vector, completion queue,
 * endpoint, and an arena for its buffers) and closes all of it before returning, whatever
 * happened: nothing is held between probes. Failures are {@link ProbeFailure}s with the
 * fallback reason: {@code library_missing} (no libfabric), {@code provider_missing}
 * ({@code fi_getinfo} found no usable provider), {@code address_insert_failed} (with
 * {@code fi_strerror}'s text), {@code probe_timeout} (the deadline covers everything, opening
 * included), {@code checksum_mismatch}, {@code transport_error}. No other exception escapes.
 *
 * <p>{@link #probeRma} runs the same probe with its bulk phase over RMA ({@code fi_write} into
 * the responder's registered region, see {@link LibfabricProbeResponder#startRma}), on an
 * endpoint that honours what the provider demands (context structs, registered buffers): the
 * path of the {@code rdma} stage transport, for whatever provider the config names. Memory
 * the provider refuses to register is {@code memory_registration_failed}.
 *
 * <p>Thread confinement: a call runs entirely on the calling thread, which it keeps busy
 * polling the completion queue (libfabric's {@code tcp;ofi_rxm} progresses only when polled).
 * Call it from a platform thread set aside for the probe; concurrent calls are independent.
 * The instance itself is immutable.
 */
public final class LibfabricTcpProbe {

  private final LibfabricTransportConfig config;
  private final long corruptSequence;

  public LibfabricTcpProbe(LibfabricTransportConfig config) {
    this(config, -1);
  }

  private LibfabricTcpProbe(LibfabricTransportConfig config, long corruptSequence) {
    this.config = Objects.requireNonNull(config, "config");
    this.corruptSequence = corruptSequence;
  }

  /** Test hook: a copy that flips one byte of bulk message {@code sequence} after its CRC. */
  LibfabricTcpProbe withCorruptedMessage(long sequence) {
    return new LibfabricTcpProbe(config, sequence);
  }

  /** Runs the probe against the responder at {@code peerAddress}. */
  public ProbeResult probe(byte[] peerAddress, ProbeSpec spec) throws ProbeFailure {
    Objects.requireNonNull(spec, "spec");
    long start = System.nanoTime();
    return run(peerAddress, spec.deadline(), 0, spec.messageBytes(),
        EndpointRequest.messaging(), 0, session -> {
          long[] rtts = pings(session, spec);
          long bulkNanos = session.bulk(spec.messageBytes(), spec.messages(),
              config.sendWindow(spec.messageBytes()), corruptSequence);
          return result(spec, rtts, bulkNanos, start);
        });
  }

  /**
   * Runs the probe against the RMA responder at {@code peerAddress}, writing the bulk
   * messages into {@code target}, the region it published.
   */
  public ProbeResult probeRma(byte[] peerAddress, RemoteTarget target, ProbeSpec spec)
      throws ProbeFailure {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(target, "target");
    long start = System.nanoTime();
    return run(peerAddress, spec.deadline(), 0, spec.messageBytes(), EndpointRequest.rma(),
        target.slots(), session -> {
          long[] rtts = pings(session, spec);
          long bulkNanos = session.bulkRma(target, spec.messageBytes(), spec.messages(),
              corruptSequence);
          return result(spec, rtts, bulkNanos, start);
        });
  }

  private static long[] pings(ProbeClientSession session, ProbeSpec spec) throws ProbeFailure {
    long[] rtts = new long[spec.pings()];
    for (int i = 0; i < rtts.length; i++) {
      rtts[i] = session.ping(i, 0);
    }
    return rtts;
  }

  private static ProbeResult result(ProbeSpec spec, long[] rtts, long bulkNanos, long start) {
    Arrays.sort(rtts);
    return new ProbeResult(spec.totalBytes(), spec.totalBytes() / (bulkNanos / 1e9),
        Duration.ofNanos(rtts[rtts.length / 2]), Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Sends {@code iterations} pings of {@code messageBytes} and waits for each echo, after a
   * HELLO that sets the connection up: the same work as {@code fi_pingpong -S messageBytes -I
   * iterations}, for comparison.
   */
  public PingPongResult pingPong(byte[] peerAddress, int messageBytes, int iterations,
      Duration deadline) throws ProbeFailure {
    Objects.requireNonNull(deadline, "deadline");
    if (messageBytes < 0 || messageBytes > ProbeSpec.MAX_MESSAGE_BYTES || iterations < 1) {
      throw new IllegalArgumentException("messageBytes: " + messageBytes + ", iterations: "
          + iterations + " (expected: 0-" + ProbeSpec.MAX_MESSAGE_BYTES + ", >= 1)");
    }
    return run(peerAddress, deadline, messageBytes, messageBytes, EndpointRequest.messaging(),
        0, session -> {
      long start = System.nanoTime();
      for (int i = 0; i < iterations; i++) {
        session.ping(i, messageBytes);
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      session.bye();
      return new PingPongResult(messageBytes, iterations, elapsed);
    });
  }

  private interface Body<T> {
    T run(ProbeClientSession session) throws ProbeFailure;
  }

  /**
   * @param extraReceives control receives beyond the usual four (RMA: one per slot, whose
   *     CREDITs may all be on their way at once)
   */
  private <T> T run(byte[] peerAddress, Duration deadline, int pingBytes, int messageBytes,
      EndpointRequest request, int extraReceives, Body<T> body) throws ProbeFailure {
    Objects.requireNonNull(peerAddress, "peerAddress");
    long deadlineNanos = System.nanoTime() + deadline.toNanos();
    FabricLibrary library;
    try {
      library = FabricLibrary.load(config.library());
    } catch (LibraryUnavailableException e) {
      throw new ProbeFailure(FallbackReason.LIBRARY_MISSING, e.getMessage(), e);
    }
    RdmEndpoint endpoint;
    try {
      endpoint = RdmEndpoint.open(library, config.provider(), config.node(), request);
    } catch (FabricCallException e) {
      throw openFailure(e);
    } catch (RuntimeException e) {
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR, "opening the endpoint: " + e, e);
    }
    ProbeFailure failure = null;
    try {
      long peer = insert(endpoint, peerAddress);
      ProbeClientSession session = new ProbeClientSession(endpoint, peer,
          ThreadLocalRandom.current().nextLong(), pingBytes, deadlineNanos, deadline,
          4 + extraReceives);
      session.start();
      int accepted = session.hello(messageBytes);
      if (accepted < messageBytes) {
        session.bye();
        throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR, "the responder accepts messages"
            + " of up to " + accepted + " bytes (asked: " + messageBytes + ")");
      }
      return body.run(session);
    } catch (ProbeFailure e) {
      failure = e;
      throw e;
    } catch (RuntimeException e) {
      failure = new ProbeFailure(FallbackReason.TRANSPORT_ERROR, e.toString(), e);
      throw failure;
    } finally {
      try {
        endpoint.close();
      } catch (RuntimeException e) {
        // A probe that succeeded stands; a failed fi_close only adds to a failure's story.
        if (failure != null) {
          failure.addSuppressed(e);
        }
      }
    }
  }

  private static long insert(RdmEndpoint endpoint, byte[] peerAddress) throws ProbeFailure {
    int expected = endpoint.name().length;
    if (peerAddress.length != expected) {
      // fi_av_insert takes no length: it would read addrlen bytes whatever we pass.
      throw new ProbeFailure(FallbackReason.ADDRESS_INSERT_FAILED, "the peer address is "
          + peerAddress.length + " bytes (expected: " + expected + ", the length of "
          + endpoint.info().provider() + " addresses)");
    }
    try {
      return endpoint.insert(peerAddress);
    } catch (FabricCallException e) {
      throw new ProbeFailure(FallbackReason.ADDRESS_INSERT_FAILED, e.getMessage(), e);
    }
  }

  static ProbeFailure openFailure(FabricCallException e) {
    if (e.function().equals("fi_getinfo") && e.errno() == FiStructs.FI_ENODATA) {
      return new ProbeFailure(FallbackReason.PROVIDER_MISSING, e.getMessage(), e);
    }
    if (e.function().startsWith("fi_mr_")) {
      return new ProbeFailure(FallbackReason.MEMORY_REGISTRATION_FAILED, e.getMessage(), e);
    }
    return new ProbeFailure(FallbackReason.TRANSPORT_ERROR, e.getMessage(), e);
  }
}
