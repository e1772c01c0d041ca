package dev.meshd.fabric.quic.internal;

import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import dev.meshd.fabric.quic.QuicStageConfig;
import dev.meshd.fabric.quic.StageLink;
import dev.meshd.fabric.quic.StageLinkException;
import dev.meshd.fabric.quic.StageMessage;
import io.netty.buffer.ByteBuf;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link StageLink} on one QUIC stream. The stream's event loop delivers frames through the
 * {@code on*} methods; callers' threads send, receive and probe.
 *
 * <p>Backpressure, sending: a frame is handed to Netty only while fewer than
 * {@code sendBufferBytes} are outstanding (handed over but not yet accepted by QUIC) and the
 * stream is writable (QUIC has flow-control credit). Netty's QUIC stream queues without bound
 * and counts nothing towards writability itself, so this count is what bounds memory.
 *
 * <p>Backpressure, receiving: messages wait in {@code inbox} for {@link #receive}; past
 * {@code receiveBufferBytes} the stream stops reading, QUIC stops returning credit, and the
 * peer's sends wait. Reading resumes below half of it. The pause is decided on the event loop
 * and the resume on the event loop too; the consumer only asks for it (see
 * {@link #maybeResumeReading}), which avoids a lost wake-up without a lock.
 */
public final class QuicStageLink implements StageLink {
  private static final Object END = new Object();

  private final QuicStreamChannel stream;
  private final QuicStageConfig config;
  private final String peerSha256;
  /** Kept: the connection forgets its peer's address once closed, and logs need it then. */
  private final SocketAddress remoteAddress;
  private final Runnable release;
  private final AtomicBoolean corruptNextProbeMessage;

  private final ReentrantLock sendLock = new ReentrantLock();
  private final Condition sendable = sendLock.newCondition();
  /** Guarded by sendLock. */
  private long outstandingBytes;
  /** Guarded by sendLock. */
  private long nextDataSequence;

  private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final AtomicLong inboxBytes = new AtomicLong();
  private volatile boolean readPaused;
  /** Event-loop confined. */
  private long expectedDataSequence;

  final ReentrantLock probeLock = new ReentrantLock();
  private final LinkedBlockingQueue<Object> probeReplies = new LinkedBlockingQueue<>();
  private final AtomicLong nextPingSequence = new AtomicLong();

  private final AtomicReference<StageLinkException> failure = new AtomicReference<>();
  private final AtomicBoolean released = new AtomicBoolean();

  /**
   * @param release closes what the link owns (its connection, and on a client its UDP socket);
   *     called once
   * @param corruptNextProbeMessage test hook: when set, the next probe message has one byte
   *     flipped after its checksum was computed (and the flag is cleared)
   */
  public QuicStageLink(QuicStreamChannel stream, QuicStageConfig config, String peerSha256,
      Runnable release, AtomicBoolean corruptNextProbeMessage) {
    this.stream = Objects.requireNonNull(stream, "stream");
    this.config = Objects.requireNonNull(config, "config");
    this.peerSha256 = Objects.requireNonNull(peerSha256, "peerSha256");
    this.remoteAddress = stream.parent().remoteSocketAddress();
    this.release = Objects.requireNonNull(release, "release");
    this.corruptNextProbeMessage =
        Objects.requireNonNull(corruptNextProbeMessage, "corruptNextProbeMessage");
  }

  // ---- StageLink ----

  @Override
  public boolean send(ByteBuffer payload, Duration timeout)
      throws StageLinkException, InterruptedException {
    Objects.requireNonNull(payload, "payload");
    if (payload.remaining() > config.maxFrameBytes()) {
      throw new IllegalArgumentException("payload: " + payload.remaining()
          + " bytes (expected: at most maxFrameBytes " + config.maxFrameBytes() + ")");
    }
    throwIfEnded();
    // Encoded (copy + CRC32C) before taking the lock; the sequence is patched in under it.
    ByteBuf frame = FrameCodec.encode(stream.alloc(), FrameType.DATA, 0, payload);
    return write(frame, true, System.nanoTime() + timeout.toNanos());
  }

  @Override
  public Optional<StageMessage> receive(Duration timeout)
      throws StageLinkException, InterruptedException {
    Object item = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (item == null) {
      return Optional.empty();
    }
    if (item == END) {
      inbox.add(END);
      throw ended();
    }
    StageMessage message = (StageMessage) item;
    long left = inboxBytes.addAndGet(-message.payload().remaining());
    if (readPaused && left < resumeBelowBytes() && failure.get() == null) {
      try {
        stream.eventLoop().execute(this::maybeResumeReading);
      } catch (RejectedExecutionException e) {
        // The event loop has stopped: the link is over, nothing more will be read anyway.
      }
    }
    return Optional.of(message);
  }

  @Override
  public ProbeResult probe(ProbeSpec spec) throws ProbeFailure {
    long start = System.nanoTime();
    return probe(spec, start, start + spec.deadline().toNanos());
  }

  /** The probe with its clock started earlier (at connect) and a deadline already fixed. */
  public ProbeResult probe(ProbeSpec spec, long startNanos, long deadlineNanos)
      throws ProbeFailure {
    return new PayloadProber(this, spec, startNanos, deadlineNanos, corruptNextProbeMessage)
        .run();
  }

  @Override
  public String peerCertificateSha256() {
    return peerSha256;
  }

  @Override
  public SocketAddress remoteAddress() {
    return remoteAddress;
  }

  @Override
  public boolean isOpen() {
    return failure.get() == null;
  }

  @Override
  public void close() {
    fail(new StageLinkException(FallbackReason.TRANSPORT_ERROR, "link closed by this end"));
    release();
  }

  @Override
  public String toString() {
    return "QuicStageLink[" + remoteAddress() + ", peer sha256 " + peerSha256 + "]";
  }

  // ---- used by the prober and the client ----

  /** One PING round trip; returns its duration in nanoseconds. */
  long ping(long deadlineNanos)
      throws StageLinkException, InterruptedException, TimeoutException {
    long sequence = nextPingSequence.getAndIncrement();
    ByteBuffer payload = ByteBuffer.allocate(Long.BYTES).putLong(0, sequence);
    long sent = System.nanoTime();
    if (!write(FrameCodec.encode(stream.alloc(), FrameType.PING, sequence, payload), false,
        deadlineNanos)) {
      throw new TimeoutException("ping " + sequence + " could not be sent");
    }
    ProbeReply reply = awaitProbeReply(deadlineNanos, "the answer to ping " + sequence);
    if (reply.type() != FrameType.PONG || reply.sequence() != sequence) {
      throw unexpectedReply(reply, "PONG " + sequence);
    }
    return System.nanoTime() - sent;
  }

  /**
   * Confirms the peer serves this link: one round trip. Over TLS 1.3 a client finishes its
   * handshake before the server has checked the client's certificate, so only an answer says
   * the server accepted us.
   */
  public void confirm(long deadlineNanos)
      throws StageLinkException, InterruptedException, TimeoutException {
    probeLock.lockInterruptibly();
    try {
      ping(deadlineNanos);
    } finally {
      probeLock.unlock();
    }
  }

  ProbeReply awaitProbeReply(long deadlineNanos, String what)
      throws StageLinkException, InterruptedException, TimeoutException {
    Object reply = probeReplies.poll(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    if (reply == null) {
      throw new TimeoutException("no " + what + " in time");
    }
    if (reply == END) {
      probeReplies.add(END);
      throw ended();
    }
    return (ProbeReply) reply;
  }

  StageLinkException unexpectedReply(ProbeReply reply, String expected) {
    StageLinkException e = new StageLinkException(FallbackReason.TRANSPORT_ERROR,
        "the peer answered " + reply.type() + " " + reply.sequence() + ", expected " + expected);
    fail(e);
    return e;
  }

  ByteBuf allocateFrame(int payloadBytes) {
    return FrameCodec.allocate(stream.alloc(), payloadBytes);
  }

  /**
   * Hands {@code frame} (released here in every case) to the stream once backpressure allows,
   * or returns false at the deadline.
   */
  boolean write(ByteBuf frame, boolean assignDataSequence, long deadlineNanos)
      throws StageLinkException, InterruptedException {
    int size = frame.readableBytes();
    boolean handedOver = false;
    try {
      sendLock.lockInterruptibly();
      try {
        while (true) {
          throwIfEnded();
          if (outstandingBytes < config.sendBufferBytes() && stream.isWritable()) {
            break;
          }
          long remaining = deadlineNanos - System.nanoTime();
          if (remaining <= 0) {
            return false;
          }
          sendable.awaitNanos(remaining);
        }
        if (assignDataSequence) {
          frame.setLong(1, nextDataSequence++);
        }
        outstandingBytes += size;
        handedOver = true;
        // From a caller's thread this queues a task; tasks run in order, so frames keep the
        // order in which they got the lock.
        stream.writeAndFlush(frame).addListener(written -> onWritten(size, written));
      } finally {
        sendLock.unlock();
      }
    } finally {
      if (!handedOver) {
        frame.release();
      }
    }
    return true;
  }

  // ---- called on the event loop by StageStreamHandler ----

  void onData(Frame frame) throws FrameException {
    if (failure.get() != null) {
      return;
    }
    if (frame.sequence() != expectedDataSequence) {
      throw new FrameException(FrameException.Kind.UNEXPECTED, "DATA frame " + frame.sequence()
          + " arrived, expected " + expectedDataSequence);
    }
    expectedDataSequence++;
    ByteBuffer copy = ByteBuffer.allocate(frame.length());
    frame.payload().getBytes(frame.payload().readerIndex(), copy);
    copy.flip();
    inbox.add(new StageMessage(frame.sequence(), copy.asReadOnlyBuffer()));
    long queued = inboxBytes.addAndGet(frame.length());
    if (queued >= config.receiveBufferBytes() && !readPaused) {
      readPaused = true;
      stream.config().setAutoRead(false);
      // The consumer may have drained everything between the add and the flag: look again.
      maybeResumeReading();
    }
  }

  void onProbeReply(ProbeReply reply) {
    probeReplies.add(reply);
  }

  void onWritabilityChanged() {
    signalSenders();
  }

  /** Records why the link ended (the first reason wins) and wakes every waiting caller. */
  void fail(StageLinkException cause) {
    if (failure.compareAndSet(null, cause)) {
      inbox.add(END);
      probeReplies.add(END);
      signalSenders();
    }
  }

  /** Closes what the link owns; idempotent. */
  void release() {
    if (released.compareAndSet(false, true)) {
      release.run();
    }
  }

  QuicStreamChannel stream() {
    return stream;
  }

  private void maybeResumeReading() {
    if (readPaused && inboxBytes.get() < resumeBelowBytes()) {
      readPaused = false;
      stream.config().setAutoRead(true);
    }
  }

  private long resumeBelowBytes() {
    return config.receiveBufferBytes() / 2;
  }

  private void onWritten(int size, io.netty.util.concurrent.Future<? super Void> written) {
    sendLock.lock();
    try {
      outstandingBytes -= size;
      sendable.signalAll();
    } finally {
      sendLock.unlock();
    }
    if (!written.isSuccess()) {
      fail(new StageLinkException(FallbackReason.TRANSPORT_ERROR,
          "write failed: " + written.cause(), written.cause()));
    }
  }

  private void signalSenders() {
    sendLock.lock();
    try {
      sendable.signalAll();
    } finally {
      sendLock.unlock();
    }
  }

  private void throwIfEnded() throws StageLinkException {
    if (failure.get() != null) {
      throw ended();
    }
  }

  /** A fresh exception for this caller, with the reason and the original as its cause. */
  private StageLinkException ended() {
    StageLinkException cause = failure.get();
    return new StageLinkException(cause.reason(), cause.getMessage(), cause);
  }
}
