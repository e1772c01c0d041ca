package dev.meshd.bench.negotiate;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.fabric.negotiate.Acceptance;
import dev.meshd.fabric.negotiate.EndpointData;
import dev.meshd.fabric.negotiate.LinkContext;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.negotiate.TransportEndpoint;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbePayload;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * The bench's double: a {@code libfabric-tcp} transport that always fails, in one chosen way,
 * so that negotiation falls back to the next group. Every failure but the first goes through
 * the kernel for real, over loopback TCP:
 * <ul>
 *   <li>{@link Failure#PROVIDER_MISSING}: the downstream refuses at accept (scripted), as a
 *       node without a libfabric {@code tcp} provider does.
 *   <li>{@link Failure#CONNECT_REFUSED}: the downstream answers with a port it has just closed,
 *       so the upstream's connect is refused by the kernel.
 *   <li>{@link Failure#SILENT_PEER}: the responder reads the probe's message and never answers;
 *       the probe blocks in a read until the negotiator interrupts it at the try deadline.
 *   <li>{@link Failure#CORRUPT_PAYLOAD}: the probe flips one byte of its message after taking
 *       the CRC32C; the responder recomputes the CRC32C and reports the mismatch, which is
 *       found at the first message, as QUIC's receiver finds it (it checks every frame).
 * </ul>
 * Each end of a link holds its own instance with the same failure. The probe sends one message
 * of {@code spec.messageBytes()} and no pings: it only has to fail the way a real transport
 * would, not to measure. Thread-safe.
 */
public final class FailingFirstTransport implements StageTransport {

  /** How the transport fails. */
  public enum Failure { PROVIDER_MISSING, CONNECT_REFUSED, SILENT_PEER, CORRUPT_PAYLOAD }

  public static final String GROUP = "libfabric-tcp";

  private static final byte MATCH = 'A';
  private static final byte MISMATCH = 'X';

  private final Failure failure;

  public FailingFirstTransport(Failure failure) {
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  @Override
  public String group() {
    return GROUP;
  }

  @Override
  public TransportEndpoint offer(LinkContext link) {
    return new TransportEndpoint(FabricClass.LIBFABRIC_TCP, EndpointData.empty());
  }

  @Override
  public Acceptance accept(TransportEndpoint peerOffer, LinkContext link) throws ProbeFailure {
    if (failure == Failure.PROVIDER_MISSING) {
      throw new ProbeFailure(FallbackReason.PROVIDER_MISSING,
          link.local().nodeId() + " has no libfabric tcp provider (bench double)");
    }
    ServerSocketChannel listener;
    int port;
    try {
      listener = ServerSocketChannel.open()
          .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR, "cannot listen: " + e, e);
    }
    TransportEndpoint answer = new TransportEndpoint(FabricClass.LIBFABRIC_TCP,
        EndpointData.ofUtf8(Integer.toString(port)));
    if (failure == Failure.CONNECT_REFUSED) {
      closeQuietly(listener);
      return Acceptance.withoutResponder(answer);
    }
    Thread responder = Thread.ofVirtual().name("bench-double-responder-" + port)
        .start(() -> respond(listener));
    return Acceptance.of(answer, () -> {
      closeQuietly(listener);
      responder.interrupt();
    });
  }

  @Override
  public ProbeResult probe(LinkContext link, TransportEndpoint peerAnswer, ProbeSpec spec)
      throws ProbeFailure, InterruptedException {
    int port = Integer.parseInt(peerAnswer.data().toUtf8());
    InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    try (SocketChannel channel = SocketChannel.open()) {
      try {
        channel.connect(target);
      } catch (ClosedByInterruptException e) {
        throw new InterruptedException("probe cut at its deadline");
      } catch (IOException e) {
        throw new ProbeFailure(FallbackReason.CONNECT_FAILED,
            "connect 127.0.0.1:" + port + ": " + e.getMessage(), e);
      }
      ByteBuffer payload = ByteBuffer.allocate(spec.messageBytes());
      ProbePayload.fill(payload, System.nanoTime(), 0);
      payload.flip();
      int crc = ProbePayload.crc32c(payload);
      if (failure == Failure.CORRUPT_PAYLOAD) {
        payload.put(0, (byte) (payload.get(0) ^ 0x5a));
      }
      writeFully(channel, ByteBuffer.allocate(8).putInt(spec.messageBytes()).putInt(crc).flip());
      writeFully(channel, payload);
      byte verdict = readFully(channel, 1).get(0);
      if (verdict == MISMATCH) {
        throw new ProbeFailure(FallbackReason.CHECKSUM_MISMATCH,
            "message 0 arrived with a wrong CRC32C (bench double)");
      }
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR,
          "the bench double's probe passed; it is meant to fail");
    } catch (ClosedByInterruptException e) {
      throw new InterruptedException("probe cut at its deadline");
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("probe cut at its deadline");
      }
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR, "probe: " + e.getMessage(), e);
    }
  }

  private void respond(ServerSocketChannel listener) {
    try (listener; SocketChannel channel = listener.accept()) {
      ByteBuffer header = readFully(channel, 8);
      int length = header.getInt(0);
      int crc = header.getInt(4);
      ByteBuffer payload = readFully(channel, length);
      if (failure == Failure.SILENT_PEER) {
        // A peer that stopped answering: keep the connection, say nothing, until released.
        while (channel.read(ByteBuffer.allocate(1)) >= 0) {
          // discard
        }
        return;
      }
      byte verdict = ProbePayload.crc32c(payload) == crc ? MATCH : MISMATCH;
      writeFully(channel, ByteBuffer.wrap(new byte[] {verdict}));
    } catch (IOException e) {
      // Released (the try is over) or the prober went away: the responder's work is done.
    }
  }

  private static ByteBuffer readFully(SocketChannel channel, int bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(bytes);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new IOException("connection closed by the peer");
      }
    }
    return buffer.flip();
  }

  private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static void closeQuietly(ServerSocketChannel listener) {
    try {
      listener.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
