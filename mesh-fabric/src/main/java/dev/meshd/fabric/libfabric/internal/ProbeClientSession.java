package dev.meshd.fabric.libfabric.internal;

import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbePayload;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The client side of one probe over an {@link RdmEndpoint} whose peer is already in the
 * address vector: HELLO, pings, bulk DATA and DONE, waiting for the answers (see
 * {@link ProbeFrame} for the messages). Every wait polls the completion queue until the
 * deadline, and the deadline is the whole probe's.
 *
 * <p>Buffers come from the endpoint's arena: a few control receives, one control send, and a
 * window of bulk messages that are filled (payload and CRC32C) once, before the clock starts,
 * and then reused: message {@code n} carries the bytes of message {@code n % window}, so that
 * the bandwidth measured is the transport's, not the payload generator's.
 *
 * <p>Over an endpoint opened for RMA, {@link #bulkRma} replaces {@link #bulk}: each message is
 * written with {@code fi_write} into a slot of the responder's registered region, and once
 * the write has completed (delivered, see {@link EndpointRequest#rma()}) a small
 * {@code WRITTEN} message names its slot and CRC32C; the responder checks the slot's bytes and
 * answers {@code CREDIT}, after which the slot may be written again.
 *
 * <p>Confined to the endpoint's thread; one session per probe.
 */
public final class ProbeClientSession implements CompletionHandler {

  private static final int CTRL_RX = 1;
  private static final int CTRL_TX = 2;
  private static final int DATA_TX = 3;
  private static final int WRITE_TX = 4;
  private static final int SIGNAL_TX = 5;
  private static final int CTRL_RECEIVES = 4;
  /** Control payloads (HELLO_ACK, OK, MISMATCH) need at most a few bytes. */
  private static final int MIN_CTRL_PAYLOAD = 64;

  private record Frame(byte type, long sequence, int firstInt) {}

  private final RdmEndpoint endpoint;
  private final long peer;
  private final long session;
  private final long deadlineNanos;
  private final Duration deadline;
  private final MemorySegment[] controlReceives;
  private final MemorySegment controlSend;
  private final ArrayDeque<Frame> inbox = new ArrayDeque<>();
  private final ArrayDeque<Integer> reposts = new ArrayDeque<>();
  private final Backoff backoff = new Backoff(0);
  private boolean controlSendBusy;
  private boolean pingPayloadFilled;
  private boolean[] slotBusy = new boolean[0];
  /** RMA slots: write posted and not completed. */
  private boolean[] writing = new boolean[0];
  /** RMA slots: write completed, WRITTEN still to be posted. */
  private boolean[] toSignal = new boolean[0];
  /** RMA slots: WRITTEN posted, its send not completed. */
  private boolean[] signalling = new boolean[0];
  /** RMA slots: WRITTEN sent, the responder's CREDIT not received. */
  private boolean[] awaitingCredit = new boolean[0];
  private MemorySegment[] signals = new MemorySegment[0];
  private String failure;

  /**
   * @param pingPayloadBytes payload bytes of each ping (0 for the probe's RTT pings)
   * @param deadlineNanos {@link System#nanoTime()} by which everything must be done
   */
  public ProbeClientSession(RdmEndpoint endpoint, long peer, long session,
      int pingPayloadBytes, long deadlineNanos, Duration deadline) throws ProbeFailure {
    this(endpoint, peer, session, pingPayloadBytes, deadlineNanos, deadline, CTRL_RECEIVES);
  }

  /**
   * @param controlReceives receives kept posted for the responder's answers: more for RMA,
   *     where a CREDIT per slot may be on its way at once
   * @throws ProbeFailure {@code memory_registration_failed} when the provider demands
   *     registered local buffers and refuses one
   */
  public ProbeClientSession(RdmEndpoint endpoint, long peer, long session,
      int pingPayloadBytes, long deadlineNanos, Duration deadline, int controlReceives)
      throws ProbeFailure {
    this.endpoint = endpoint;
    this.peer = peer;
    this.session = session;
    this.deadlineNanos = deadlineNanos;
    this.deadline = deadline;
    int controlPayload = Math.max(MIN_CTRL_PAYLOAD, pingPayloadBytes);
    this.controlReceives = new MemorySegment[controlReceives];
    for (int i = 0; i < controlReceives; i++) {
      this.controlReceives[i] = buffer(ProbeFrame.HEADER_BYTES + controlPayload);
    }
    int helloPayload = 8 + endpoint.name().length;
    this.controlSend =
        buffer(ProbeFrame.HEADER_BYTES + Math.max(controlPayload, helloPayload));
  }

  private MemorySegment buffer(long bytes) throws ProbeFailure {
    try {
      return endpoint.buffer(bytes);
    } catch (FabricCallException e) {
      throw new ProbeFailure(FallbackReason.MEMORY_REGISTRATION_FAILED, e.getMessage(), e);
    }
  }

  /** Posts the control receives; before anything is sent. */
  public void start() throws ProbeFailure {
    for (int i = 0; i < controlReceives.length; i++) {
      postReceive(i, "posting receives");
    }
  }

  /**
   * HELLO with this endpoint's address, and the size of the messages to come.
   *
   * @return the largest message the responder accepts
   */
  public int hello(int messageBytes) throws ProbeFailure {
    byte[] name = endpoint.name();
    awaitControlSend("the connection to the responder");
    ProbeFrame.write(controlSend, ProbeFrame.HELLO, 0, session, 0);
    ProbeFrame.setPayloadInt(controlSend, 0, messageBytes);
    ProbeFrame.setPayloadInt(controlSend, 4, name.length);
    MemorySegment.copy(MemorySegment.ofArray(name), 0, controlSend,
        ProbeFrame.HEADER_BYTES + 8, name.length);
    pingPayloadFilled = false;
    sendControl(ProbeFrame.HEADER_BYTES + 8 + name.length,
        "the connection to the responder (HELLO)");
    return await(ProbeFrame.HELLO_ACK, ProbeFrame.HELLO_ACK, "the responder's answer to HELLO")
        .firstInt();
  }

  /** One ping of {@code payloadBytes} echoed back; the round trip in nanoseconds. */
  public long ping(long sequence, int payloadBytes) throws ProbeFailure {
    awaitControlSend("ping " + sequence);
    if (!pingPayloadFilled) {
      ProbePayload.fill(controlSend.asSlice(ProbeFrame.HEADER_BYTES, payloadBytes)
          .asByteBuffer(), session, -1);
      pingPayloadFilled = true;
    }
    long start = System.nanoTime();
    ProbeFrame.write(controlSend, ProbeFrame.PING, 0, session, sequence);
    sendControl(ProbeFrame.HEADER_BYTES + payloadBytes, "ping " + sequence);
    while (true) {
      Frame pong = await(ProbeFrame.PONG, ProbeFrame.PONG, "the answer to ping " + sequence);
      if (pong.sequence() == sequence) {
        return System.nanoTime() - start;
      }
    }
  }

  /**
   * Sends {@code messages} DATA messages of {@code messageBytes} with at most {@code window}
   * in flight, then DONE, and waits for the verdict.
   *
   * @param corruptSequence a message sent with one byte flipped after its CRC32C was computed
   *     (a test hook), or -1
   * @return nanoseconds from the first send to the responder's OK
   * @throws ProbeFailure CHECKSUM_MISMATCH when the responder found a bad message
   */
  public long bulk(int messageBytes, int messages, int window, long corruptSequence)
      throws ProbeFailure {
    int slots = Math.max(1, Math.min(window, messages));
    MemorySegment[] buffers = new MemorySegment[slots];
    int[] crcs = new int[slots];
    long frameBytes = ProbeFrame.HEADER_BYTES + (long) messageBytes;
    for (int i = 0; i < slots; i++) {
      buffers[i] = buffer(frameBytes);
      var payload = buffers[i].asSlice(ProbeFrame.HEADER_BYTES, messageBytes).asByteBuffer();
      ProbePayload.fill(payload.duplicate(), session, i);
      crcs[i] = ProbePayload.crc32c(payload);
    }
    MemorySegment corrupt = null;
    if (corruptSequence >= 0 && corruptSequence < messages) {
      corrupt = buffer(frameBytes);
      corrupt.copyFrom(buffers[(int) (corruptSequence % slots)]);
      long flipped = ProbeFrame.HEADER_BYTES + messageBytes / 2;
      corrupt.set(ValueLayout.JAVA_BYTE, flipped,
          (byte) ~corrupt.get(ValueLayout.JAVA_BYTE, flipped));
    }
    slotBusy = new boolean[slots];
    long start = System.nanoTime();
    for (long n = 0; n < messages; n++) {
      int slot = (int) (n % slots);
      while (slotBusy[slot]) {
        progress("bulk message " + n + " of " + messages);
      }
      MemorySegment frame = n == corruptSequence ? corrupt : buffers[slot];
      ProbeFrame.write(frame, ProbeFrame.DATA, crcs[slot], session, n);
      slotBusy[slot] = true;
      post(frame, frameBytes, context(DATA_TX, slot), "bulk message " + n + " of " + messages);
    }
    awaitControlSend("the send of DONE");
    ProbeFrame.write(controlSend, ProbeFrame.DONE, 0, session, messages);
    sendControl(ProbeFrame.HEADER_BYTES, "DONE");
    Frame verdict = await(ProbeFrame.OK, ProbeFrame.MISMATCH,
        "the verdict on " + messages + " messages");
    long elapsed = System.nanoTime() - start;
    if (verdict.type() == ProbeFrame.MISMATCH) {
      throw new ProbeFailure(FallbackReason.CHECKSUM_MISMATCH, "the responder found message "
          + verdict.sequence() + " of " + messages + " corrupt (CRC32C mismatch)");
    }
    if (verdict.sequence() != messages) {
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR, "the responder verified "
          + verdict.sequence() + " of " + messages + " messages");
    }
    return elapsed;
  }

  /**
   * The bulk phase over RMA: {@code messages} messages of {@code messageBytes}, each written
   * with {@code fi_write} into a slot of {@code target} and announced with {@code WRITTEN},
   * at most one per slot in flight; then DONE, and the verdict.
   *
   * @param corruptSequence a message written with one byte flipped after its CRC32C was
   *     computed (a test hook), or -1
   * @return nanoseconds from the first write to the responder's OK
   * @throws ProbeFailure CHECKSUM_MISMATCH when the responder found a bad message
   */
  public long bulkRma(RemoteTarget target, int messageBytes, int messages,
      long corruptSequence) throws ProbeFailure {
    if (messageBytes > target.slotBytes()) {
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR, "the responder's slots are "
          + target.slotBytes() + " bytes (asked: " + messageBytes + ")");
    }
    int slots = Math.max(1, Math.min(target.slots(), messages));
    MemorySegment[] sources = new MemorySegment[slots];
    int[] crcs = new int[slots];
    signals = new MemorySegment[slots];
    for (int i = 0; i < slots; i++) {
      sources[i] = buffer(messageBytes);
      var payload = sources[i].asByteBuffer();
      ProbePayload.fill(payload.duplicate(), session, i);
      crcs[i] = ProbePayload.crc32c(payload);
      signals[i] = buffer(ProbeFrame.HEADER_BYTES + 8);
    }
    MemorySegment corrupt = null;
    if (corruptSequence >= 0 && corruptSequence < messages) {
      corrupt = buffer(messageBytes);
      corrupt.copyFrom(sources[(int) (corruptSequence % slots)]);
      corrupt.set(ValueLayout.JAVA_BYTE, messageBytes / 2,
          (byte) ~corrupt.get(ValueLayout.JAVA_BYTE, messageBytes / 2));
    }
    writing = new boolean[slots];
    signalling = new boolean[slots];
    awaitingCredit = new boolean[slots];
    toSignal = new boolean[slots];
    long start = System.nanoTime();
    for (long n = 0; n < messages; n++) {
      int slot = (int) (n % slots);
      while (writing[slot] || toSignal[slot] || signalling[slot] || awaitingCredit[slot]) {
        progress("slot " + slot + " for RMA message " + n + " of " + messages);
      }
      ProbeFrame.write(signals[slot], ProbeFrame.WRITTEN, crcs[slot], session, n);
      ProbeFrame.setPayloadInt(signals[slot], 0, slot);
      ProbeFrame.setPayloadInt(signals[slot], 4, messageBytes);
      MemorySegment source = n == corruptSequence ? corrupt : sources[slot];
      writing[slot] = true;
      awaitingCredit[slot] = true;
      postWrite(source, messageBytes, target.key(), target.slotAddress(slot),
          context(WRITE_TX, slot), "RMA message " + n + " of " + messages);
    }
    while (anyPending()) {
      progress("the RMA writes of " + messages + " messages");
    }
    awaitControlSend("the send of DONE");
    ProbeFrame.write(controlSend, ProbeFrame.DONE, 0, session, messages);
    sendControl(ProbeFrame.HEADER_BYTES, "DONE");
    Frame verdict = await(ProbeFrame.OK, ProbeFrame.MISMATCH,
        "the verdict on " + messages + " RMA messages");
    long elapsed = System.nanoTime() - start;
    if (verdict.type() == ProbeFrame.MISMATCH) {
      throw new ProbeFailure(FallbackReason.CHECKSUM_MISMATCH, "the responder found RMA message "
          + verdict.sequence() + " of " + messages + " corrupt (CRC32C mismatch)");
    }
    if (verdict.sequence() != messages) {
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR, "the responder verified "
          + verdict.sequence() + " of " + messages + " RMA messages");
    }
    return elapsed;
  }

  /** Whether any write or WRITTEN is still on its way, or unanswered. */
  private boolean anyPending() {
    for (int slot = 0; slot < writing.length; slot++) {
      if (writing[slot] || toSignal[slot] || signalling[slot] || awaitingCredit[slot]) {
        return true;
      }
    }
    return false;
  }

  /** Posts the WRITTEN of every slot whose write completed; a full queue waits for later. */
  private void flushSignals() throws ProbeFailure {
    for (int slot = 0; slot < toSignal.length; slot++) {
      if (!toSignal[slot]) {
        continue;
      }
      long rc = endpoint.send(signals[slot], ProbeFrame.HEADER_BYTES + 8, peer,
          context(SIGNAL_TX, slot));
      if (rc == -FiStructs.FI_EAGAIN) {
        return;
      }
      if (rc != 0) {
        throw transportError("fi_send", rc);
      }
      toSignal[slot] = false;
      signalling[slot] = true;
    }
  }

  private void postWrite(MemorySegment source, long length, long key, long address,
      long context, String what) throws ProbeFailure {
    while (true) {
      long rc = endpoint.write(source, length, peer, address, key, context);
      if (rc == 0) {
        return;
      }
      if (rc != -FiStructs.FI_EAGAIN) {
        throw transportError("fi_write", rc);
      }
      progress(what);
    }
  }

  /**
   * Tells the responder this session ends without a verdict (after a ping-pong, or when the
   * client gives up), and waits for the send to complete so that closing the endpoint does
   * not drop it. Best effort: a responder forgets a silent session by itself in the end.
   */
  public void bye() {
    try {
      awaitControlSend("the send before BYE");
      ProbeFrame.write(controlSend, ProbeFrame.BYE, 0, session, 0);
      sendControl(ProbeFrame.HEADER_BYTES, "the send of BYE");
      awaitControlSend("the send of BYE");
    } catch (ProbeFailure e) {
      // Nothing to add to what the caller reports; the responder's session timeout cleans up.
    }
  }

  @Override
  public void onCompletion(long context, long flags, long length) {
    int kind = (int) (context >>> 32);
    int index = (int) context;
    switch (kind) {
      case CTRL_RX -> {
        MemorySegment frame = controlReceives[index];
        if (ProbeFrame.valid(frame, length) && ProbeFrame.session(frame) == session
            && ProbeFrame.type(frame) == ProbeFrame.CREDIT && awaitingCredit.length > 0) {
          awaitingCredit[(int) (ProbeFrame.sequence(frame) % awaitingCredit.length)] = false;
        } else if (ProbeFrame.valid(frame, length) && ProbeFrame.session(frame) == session) {
          int firstInt = length >= ProbeFrame.HEADER_BYTES + 4 ? ProbeFrame.payloadInt(frame, 0)
              : 0;
          inbox.add(new Frame(ProbeFrame.type(frame), ProbeFrame.sequence(frame), firstInt));
        }
        reposts.add(index);
      }
      case CTRL_TX -> controlSendBusy = false;
      case DATA_TX -> slotBusy[index] = false;
      case WRITE_TX -> {
        writing[index] = false;
        toSignal[index] = true;
      }
      case SIGNAL_TX -> signalling[index] = false;
      default -> failure = "a completion with an unknown context " + Long.toHexString(context);
    }
  }

  @Override
  public void onError(long context, long flags, int errno, String detail) {
    if (failure == null) {
      int kind = (int) (context >>> 32);
      failure = (kind == CTRL_RX ? "a receive" : kind == WRITE_TX ? "an RMA write" : "a send")
          + " failed: " + detail;
    }
  }

  private Frame await(byte type, byte orType, String what) throws ProbeFailure {
    while (true) {
      for (Iterator<Frame> it = inbox.iterator(); it.hasNext(); ) {
        Frame frame = it.next();
        if (frame.type() == type || frame.type() == orType) {
          it.remove();
          return frame;
        }
      }
      progress(what);
    }
  }

  private void awaitControlSend(String what) throws ProbeFailure {
    while (controlSendBusy) {
      progress(what);
    }
  }

  private void sendControl(long length, String what) throws ProbeFailure {
    controlSendBusy = true;
    post(controlSend, length, context(CTRL_TX, 0), what);
  }

  private void post(MemorySegment frame, long length, long context, String what)
      throws ProbeFailure {
    while (true) {
      long rc = endpoint.send(frame, length, peer, context);
      if (rc == 0) {
        return;
      }
      if (rc != -FiStructs.FI_EAGAIN) {
        throw transportError("fi_send", rc);
      }
      // Not yet connected, or the send queue is full: progress, then post again.
      progress(what);
    }
  }

  private void postReceive(int index, String what) throws ProbeFailure {
    MemorySegment buffer = controlReceives[index];
    while (true) {
      long rc = endpoint.receive(buffer, buffer.byteSize(), context(CTRL_RX, index));
      if (rc == 0) {
        return;
      }
      if (rc != -FiStructs.FI_EAGAIN) {
        throw transportError("fi_recv", rc);
      }
      progress(what);
    }
  }

  /** Reposts the control receives whose messages were read; a full queue waits for the next. */
  private void retryReposts() throws ProbeFailure {
    while (!reposts.isEmpty()) {
      int index = reposts.peek();
      MemorySegment buffer = controlReceives[index];
      long rc = endpoint.receive(buffer, buffer.byteSize(), context(CTRL_RX, index));
      if (rc == -FiStructs.FI_EAGAIN) {
        return;
      }
      if (rc != 0) {
        throw transportError("fi_recv", rc);
      }
      reposts.poll();
    }
  }

  private void progress(String what) throws ProbeFailure {
    int handled;
    try {
      handled = endpoint.poll(this);
    } catch (FabricCallException e) {
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR, e.getMessage(), e);
    }
    if (failure != null) {
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR, failure);
    }
    retryReposts();
    flushSignals();
    if (handled > 0) {
      backoff.reset();
    } else {
      backoff.idle();
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new ProbeFailure(FallbackReason.PROBE_TIMEOUT, "timed out waiting for " + what
          + " (the probe's deadline is " + deadline.toMillis() + " ms)");
    }
  }

  private ProbeFailure transportError(String function, long rc) {
    int errno = (int) -rc;
    return new ProbeFailure(FallbackReason.TRANSPORT_ERROR,
        function + ": -" + errno + " " + endpoint.strerror(errno));
  }

  private static long context(int kind, int index) {
    return ((long) kind << 32) | index;
  }
}
