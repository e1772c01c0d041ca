package dev.meshd.fabric.negotiate.testing;

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
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only stage transport that moves real bytes: the downstream's acceptance opens a TCP
 * listener on loopback (its port is the endpoint data) and a responder thread; the upstream's
 * probe connects and runs the payload probe of {@code dev.meshd.fabric.probe} over it (pings for
 * the RTT, then bulk messages each carrying its CRC32C, verified by the responder, which
 * acknowledges the bytes it verified or names the first message that failed). It stands in for
 * the real QUIC and libfabric transports so that negotiation tests measure something real; it is
 * not a transport meshd ships.
 *
 * <p>{@link #corruptingFirstMessage()} flips one payload byte after its checksum was taken, so
 * the responder really finds a mismatch. Socket channels are interruptible, so a cut probe ends
 * at once. Thread-safe.
 */
public final class LoopbackTcpTransport implements StageTransport {

  private static final byte PING = 'P';
  private static final byte BULK = 'B';
  private static final byte END = 'E';
  private static final byte ACK = 'A';
  private static final byte MISMATCH = 'X';

  private final String group;
  private final FabricClass fabricClass;
  private final boolean corrupt;
  private final AtomicInteger openResponders = new AtomicInteger();

  private LoopbackTcpTransport(String group, FabricClass fabricClass, boolean corrupt) {
    this.group = group;
    this.fabricClass = fabricClass;
    this.corrupt = corrupt;
  }

  /** Serves {@code group} (e.g. {@code quic}) as class {@code fabricClass}. */
  public static LoopbackTcpTransport of(String group, FabricClass fabricClass) {
    return new LoopbackTcpTransport(group, fabricClass, false);
  }

  /** The same transport, whose probes corrupt one byte of the first bulk message. */
  public LoopbackTcpTransport corruptingFirstMessage() {
    return new LoopbackTcpTransport(group, fabricClass, true);
  }

  /** Responders listening now (accepted and not yet released). */
  public int openResponders() {
    return openResponders.get();
  }

  @Override
  public String group() {
    return group;
  }

  @Override
  public TransportEndpoint offer(LinkContext link) {
    return new TransportEndpoint(fabricClass, EndpointData.empty());
  }

  @Override
  public Acceptance accept(TransportEndpoint peerOffer, LinkContext link) throws ProbeFailure {
    ServerSocketChannel server;
    int port;
    try {
      server = ServerSocketChannel.open()
          .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = ((InetSocketAddress) server.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR, "cannot listen: " + e, e);
    }
    openResponders.incrementAndGet();
    Thread responder = Thread.ofVirtual().name("loopback-responder-" + port)
        .start(() -> respond(server));
    return Acceptance.of(
        new TransportEndpoint(fabricClass, EndpointData.ofUtf8("127.0.0.1:" + port)),
        () -> {
          closeQuietly(server);
          responder.interrupt();
          openResponders.decrementAndGet();
        });
  }

  @Override
  public ProbeResult probe(LinkContext link, TransportEndpoint peerAnswer, ProbeSpec spec)
      throws ProbeFailure, InterruptedException {
    long start = System.nanoTime();
    String address = peerAnswer.data().toUtf8();
    int colon = address.lastIndexOf(':');
    InetSocketAddress target = new InetSocketAddress(address.substring(0, colon),
        Integer.parseInt(address.substring(colon + 1)));
    try (SocketChannel channel = SocketChannel.open()) {
      try {
        channel.connect(target);
      } catch (IOException e) {
        throw failureOrInterrupt(FallbackReason.CONNECT_FAILED, "connect " + address, e);
      }
      channel.socket().setTcpNoDelay(true);
      Duration rtt = pings(channel, spec.pings());
      long bulkStart = System.nanoTime();
      sendBulk(channel, spec);
      ByteBuffer reply = readFully(channel, 9);
      long bulkNanos = System.nanoTime() - bulkStart;
      if (reply.get(0) == MISMATCH) {
        throw new ProbeFailure(FallbackReason.CHECKSUM_MISMATCH,
            "message " + reply.getLong(1) + " arrived with a wrong CRC32C");
      }
      long verified = reply.getLong(1);
      double bytesPerSecond = spec.totalBytes() / (bulkNanos / 1e9);
      return new ProbeResult(verified, bytesPerSecond, rtt,
          Duration.ofNanos(System.nanoTime() - start));
    } catch (ClosedByInterruptException e) {
      throw interrupted();
    } catch (IOException e) {
      throw failureOrInterrupt(FallbackReason.TRANSPORT_ERROR, "probe over " + address, e);
    }
  }

  private Duration pings(SocketChannel channel, int pings) throws IOException {
    long[] rtts = new long[pings];
    ByteBuffer ping = ByteBuffer.allocate(9);
    for (int i = 0; i < pings; i++) {
      ping.clear();
      ping.put(PING).putLong(i).flip();
      long sent = System.nanoTime();
      writeFully(channel, ping);
      readFully(channel, 9);
      rtts[i] = System.nanoTime() - sent;
    }
    Arrays.sort(rtts);
    return Duration.ofNanos(rtts[pings / 2]);
  }

  private void sendBulk(SocketChannel channel, ProbeSpec spec) throws IOException {
    long seed = System.nanoTime();
    ByteBuffer header = ByteBuffer.allocate(17);
    ByteBuffer payload = ByteBuffer.allocateDirect(spec.messageBytes());
    for (long sequence = 0; sequence < spec.messages(); sequence++) {
      payload.clear();
      ProbePayload.fill(payload, seed, sequence);
      payload.flip();
      int crc = ProbePayload.crc32c(payload);
      if (corrupt && sequence == 0) {
        payload.put(0, (byte) (payload.get(0) ^ 0x5a));
      }
      header.clear();
      header.put(BULK).putLong(sequence).putInt(spec.messageBytes()).putInt(crc).flip();
      writeFully(channel, header);
      writeFully(channel, payload);
    }
    header.clear();
    header.put(END).putLong(spec.messages()).putInt(0).putInt(0).flip();
    writeFully(channel, header);
  }

  private void respond(ServerSocketChannel server) {
    try (server; SocketChannel channel = server.accept()) {
      long verifiedBytes = 0;
      long firstBad = -1;
      ByteBuffer payload = ByteBuffer.allocateDirect(ProbeSpec.MAX_MESSAGE_BYTES);
      while (true) {
        ByteBuffer type = readFully(channel, 1);
        switch (type.get(0)) {
          case PING -> {
            ByteBuffer ping = readFully(channel, 8);
            ByteBuffer echo = ByteBuffer.allocate(9).put(PING).put(ping).flip();
            writeFully(channel, echo);
          }
          case BULK -> {
            ByteBuffer header = readFully(channel, 16);
            long sequence = header.getLong(0);
            int length = header.getInt(8);
            int crc = header.getInt(12);
            payload.clear().limit(length);
            while (payload.hasRemaining()) {
              if (channel.read(payload) < 0) {
                return;
              }
            }
            payload.flip();
            if (ProbePayload.crc32c(payload) == crc) {
              verifiedBytes += length;
            } else if (firstBad < 0) {
              firstBad = sequence;
            }
          }
          case END -> {
            readFully(channel, 16);
            ByteBuffer reply = ByteBuffer.allocate(9)
                .put(firstBad < 0 ? ACK : MISMATCH)
                .putLong(firstBad < 0 ? verifiedBytes : firstBad)
                .flip();
            writeFully(channel, reply);
            return;
          }
          default -> {
            return;
          }
        }
      }
    } catch (IOException e) {
      // Released, interrupted, or the prober went away: the responder's work is over.
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

  private static ProbeFailure failureOrInterrupt(FallbackReason reason, String what,
      IOException e) throws InterruptedException {
    if (e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
      throw interrupted();
    }
    return new ProbeFailure(reason, what + ": " + e.getMessage(), e);
  }

  private static InterruptedException interrupted() {
    return new InterruptedException("probe cut at its deadline");
  }

  private static void closeQuietly(ServerSocketChannel server) {
    try {
      server.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
