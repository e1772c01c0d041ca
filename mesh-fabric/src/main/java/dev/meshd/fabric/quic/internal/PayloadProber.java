package dev.meshd.fabric.quic.internal;

import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbePayload;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import dev.meshd.fabric.quic.StageLinkException;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sending side of the payload probe ({@link dev.meshd.fabric.probe}) over a
 * {@link QuicStageLink}: PING/PONG round trips for the RTT, then PROBE_DATA messages whose
 * checksums the peer verifies, then PROBE_END, answered by PROBE_ACK with what the peer
 * verified (or by an ERROR frame). One use, on the caller's thread.
 */
final class PayloadProber {
  private final QuicStageLink link;
  private final ProbeSpec spec;
  private final long startNanos;
  private final long deadlineNanos;
  private final AtomicBoolean corruptNextMessage;
  private String phase = "waiting for the link";

  PayloadProber(QuicStageLink link, ProbeSpec spec, long startNanos, long deadlineNanos,
      AtomicBoolean corruptNextMessage) {
    this.link = link;
    this.spec = spec;
    this.startNanos = startNanos;
    this.deadlineNanos = deadlineNanos;
    this.corruptNextMessage = corruptNextMessage;
  }

  ProbeResult run() throws ProbeFailure {
    try {
      if (!link.probeLock.tryLock(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        throw new TimeoutException("another probe held the link");
      }
      try {
        return measure();
      } finally {
        link.probeLock.unlock();
      }
    } catch (StageLinkException e) {
      link.close();
      throw new ProbeFailure(e.reason(), phase + ": " + e.getMessage(), e);
    } catch (TimeoutException e) {
      link.close();
      throw new ProbeFailure(FallbackReason.PROBE_TIMEOUT, "not done within "
          + spec.deadline().toMillis() + " ms, " + phase + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      link.close();
      throw new ProbeFailure(FallbackReason.PROBE_TIMEOUT, "interrupted, " + phase);
    }
  }

  private ProbeResult measure()
      throws StageLinkException, InterruptedException, TimeoutException {
    long[] roundTrips = new long[spec.pings()];
    for (int i = 0; i < roundTrips.length; i++) {
      phase = "ping " + (i + 1) + " of " + roundTrips.length;
      roundTrips[i] = link.ping(deadlineNanos);
    }
    Arrays.sort(roundTrips);
    long medianRtt = roundTrips[roundTrips.length / 2];

    long seed = ThreadLocalRandom.current().nextLong();
    long bulkStart = System.nanoTime();
    for (int i = 0; i < spec.messages(); i++) {
      phase = "bulk message " + (i + 1) + " of " + spec.messages();
      if (!link.write(bulkMessage(seed, i), false, deadlineNanos)) {
        throw new TimeoutException("the link stayed backpressured");
      }
    }
    phase = "waiting for the acknowledgement of " + spec.messages() + " messages";
    ByteBuffer end = ByteBuffer.allocate(2 * Long.BYTES);
    end.putLong(spec.messages()).putLong(spec.totalBytes()).flip();
    if (!link.write(FrameCodec.encode(link.stream().alloc(), FrameType.PROBE_END,
        spec.messages(), end), false, deadlineNanos)) {
      throw new TimeoutException("the link stayed backpressured");
    }
    ProbeReply ack = link.awaitProbeReply(deadlineNanos, "PROBE_ACK");
    long bulkNanos = System.nanoTime() - bulkStart;
    if (ack.type() != FrameType.PROBE_ACK || ack.sequence() != spec.messages()) {
      throw link.unexpectedReply(ack, "PROBE_ACK " + spec.messages());
    }
    if (ack.messages() != spec.messages() || ack.bytes() != spec.totalBytes()) {
      StageLinkException short_ = new StageLinkException(FallbackReason.TRANSPORT_ERROR,
          "the peer verified " + ack.messages() + " messages (" + ack.bytes() + " bytes) of "
              + spec.messages() + " (" + spec.totalBytes() + " bytes)");
      link.fail(short_);
      throw short_;
    }
    double bytesPerSecond = spec.totalBytes() * 1e9 / Math.max(1, bulkNanos);
    return new ProbeResult(ack.bytes(), bytesPerSecond, Duration.ofNanos(medianRtt),
        Duration.ofNanos(System.nanoTime() - startNanos));
  }

  /** Message {@code sequence}'s bytes written in place, sealed with their checksum. */
  private ByteBuf bulkMessage(long seed, long sequence) {
    ByteBuf frame = link.allocateFrame(spec.messageBytes());
    ProbePayload.fill(frame.nioBuffer(FrameCodec.HEADER_BYTES, spec.messageBytes()), seed,
        sequence);
    FrameCodec.seal(frame, FrameType.PROBE_DATA, sequence);
    if (corruptNextMessage.compareAndSet(true, false)) {
      int at = FrameCodec.HEADER_BYTES + spec.messageBytes() / 2;
      frame.setByte(at, ~frame.getByte(at));
    }
    return frame;
  }
}
