package dev.meshd.fabric.libfabric.internal;

import dev.meshd.fabric.probe.ProbePayload;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The responder side of the probe (see {@link ProbeFrame}) on one {@link RdmEndpoint}: keeps
 * {@code receiveDepth} receives of the largest accepted message posted, answers HELLO (after
 * inserting the client's address), echoes pings from the receive buffer itself, verifies each
 * DATA message's CRC32C, and answers DONE with OK or MISMATCH once every message it announced
 * has arrived (completions of large messages can overtake DONE's). BYE ends a session without
 * a verdict.
 *
 * <p>A session ends when its verdict has been sent, or after {@code sessionTimeoutNanos}
 * without a message (a client that died mid-probe); either way its address is removed from
 * the address vector, so that a long-lived responder does not accumulate peers.
 *
 * <p>With an RMA target (a region registered for {@code FI_REMOTE_WRITE}, see
 * {@link RemoteTarget}), the bulk messages arrive by {@code fi_write} into its slots instead,
 * each announced by a {@code WRITTEN} message: the slot's bytes are checked against the CRC32C
 * it carries and answered with {@code CREDIT}. The region is one client's at a time: a HELLO
 * while another session is open is refused.
 *
 * <p>Confined to the endpoint's thread, which calls {@link #runOnce()} in a loop; only the
 * counters are read from other threads.
 */
public final class ProbeResponderLoop implements CompletionHandler {

  private static final int RX = 1;
  private static final int ECHO = 2;
  private static final int REPLY = 3;
  private static final int REPLY_SLOTS = 16;
  private static final int REPLY_BYTES = ProbeFrame.HEADER_BYTES + 64;
  /** Addresses longer than this are not addresses: IB and EFA ones are tens of bytes. */
  private static final int MAX_ADDRESS_BYTES = 1024;
  private static final long EXPIRY_CHECK_NANOS = 1_000_000_000L;

  /** One client's probe, by session id. */
  private static final class Session {
    final long id;
    final long peer;
    long received;
    long verified;
    long firstBad = -1;
    long expected = -1;
    boolean finishing;
    long lastActiveNanos;

    Session(long id, long peer, long now) {
      this.id = id;
      this.peer = peer;
      this.lastActiveNanos = now;
    }
  }

  /** A send waiting for a reply slot or for the send queue to take it. */
  private record Pending(byte type, Session session, long sequence, int value, int echoSlot,
      long echoLength) {}

  private final RdmEndpoint endpoint;
  private final int maxMessageBytes;
  /** The registered region RMA messages are written into, or null (messages are sent). */
  private final MemorySegment rmaTarget;
  private final long sessionTimeoutNanos;
  private final LongSupplier nanoTime;
  private final MemorySegment[] receives;
  private final MemorySegment[] replies = new MemorySegment[REPLY_SLOTS];
  private final Session[] replyFinishes = new Session[REPLY_SLOTS];
  private final ArrayDeque<Integer> freeReplies = new ArrayDeque<>();
  private final ArrayDeque<Integer> reposts = new ArrayDeque<>();
  private final ArrayDeque<Pending> outbound = new ArrayDeque<>();
  private final Map<Long, Session> sessions = new HashMap<>();
  private final byte[] ownName;
  private long nextExpiryCheckNanos;
  private String fatal;

  private final AtomicLong sessionsServed = new AtomicLong();
  private final AtomicLong sessionsOpen = new AtomicLong();
  private final AtomicLong messagesVerified = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  /** A responder whose bulk messages are sent to it (the {@code tcp} transport). */
  public ProbeResponderLoop(RdmEndpoint endpoint, int maxMessageBytes, int receiveDepth,
      long sessionTimeoutNanos, LongSupplier nanoTime) throws FabricCallException {
    this(endpoint, maxMessageBytes, receiveDepth, sessionTimeoutNanos, nanoTime, null);
  }

  /**
   * @param rmaTarget the region registered for remote writes, {@code maxMessageBytes} per
   *     slot; null when bulk messages are sent
   * @throws FabricCallException registering a receive buffer failed (FI_MR_LOCAL)
   */
  public ProbeResponderLoop(RdmEndpoint endpoint, int maxMessageBytes, int receiveDepth,
      long sessionTimeoutNanos, LongSupplier nanoTime, MemorySegment rmaTarget)
      throws FabricCallException {
    this.endpoint = endpoint;
    this.maxMessageBytes = maxMessageBytes;
    this.rmaTarget = rmaTarget;
    this.sessionTimeoutNanos = sessionTimeoutNanos;
    this.nanoTime = nanoTime;
    this.ownName = endpoint.name();
    this.receives = new MemorySegment[receiveDepth];
    // Over RMA only control messages are received: the largest is a HELLO with an address.
    long receiveBytes = ProbeFrame.HEADER_BYTES
        + (rmaTarget == null ? maxMessageBytes : 8 + MAX_ADDRESS_BYTES);
    for (int i = 0; i < receiveDepth; i++) {
      receives[i] = endpoint.buffer(receiveBytes);
    }
    for (int i = 0; i < REPLY_SLOTS; i++) {
      replies[i] = endpoint.buffer(REPLY_BYTES);
      freeReplies.add(i);
    }
    this.nextExpiryCheckNanos = nanoTime.getAsLong() + EXPIRY_CHECK_NANOS;
  }

  /** Posts every receive; call once, before the first {@link #runOnce()}. */
  public void start() throws FabricCallException {
    for (int i = 0; i < receives.length; i++) {
      reposts.add(i);
    }
    retryReposts();
  }

  /**
   * Polls the completion queue once, handles what it read, and sends what is waiting.
   *
   * @return how much work was done; 0 when idle
   * @throws FabricCallException the completion queue itself failed: the endpoint is unusable
   */
  public int runOnce() throws FabricCallException {
    int work = endpoint.poll(this);
    if (fatal != null) {
      throw new FabricCallException("fi_cq_read", FidOps.FI_ENOSYS, fatal);
    }
    retryReposts();
    work += flush();
    long now = nanoTime.getAsLong();
    if (now - nextExpiryCheckNanos >= 0) {
      nextExpiryCheckNanos = now + EXPIRY_CHECK_NANOS;
      expire(now);
    }
    return work;
  }

  /** Probes answered with a verdict. */
  public long sessionsServed() {
    return sessionsServed.get();
  }

  /** Probes begun and not yet ended or expired. */
  public long sessionsOpen() {
    return sessionsOpen.get();
  }

  /** DATA messages whose CRC32C matched. */
  public long messagesVerified() {
    return messagesVerified.get();
  }

  /** HELLOs refused: unusable address, or fi_av_insert failed. */
  public long rejected() {
    return rejected.get();
  }

  @Override
  public void onCompletion(long context, long flags, long length) {
    int kind = (int) (context >>> 32);
    int index = (int) context;
    switch (kind) {
      case RX -> handleMessage(index, length);
      case ECHO -> reposts.add(index);
      case REPLY -> {
        Session finished = replyFinishes[index];
        replyFinishes[index] = null;
        freeReplies.add(index);
        if (finished != null) {
          sessionsServed.incrementAndGet();
          end(finished);
        }
      }
      default -> fatal = "a completion with an unknown context " + Long.toHexString(context);
    }
  }

  @Override
  public void onError(long context, long flags, int errno, String detail) {
    int kind = (int) (context >>> 32);
    int index = (int) context;
    switch (kind) {
      // A message larger than the receive (FI_ETRUNC), or one cut short: drop it, keep serving.
      case RX, ECHO -> reposts.add(index);
      case REPLY -> {
        Session finished = replyFinishes[index];
        replyFinishes[index] = null;
        freeReplies.add(index);
        if (finished != null) {
          end(finished);
        }
      }
      default -> fatal = "an error completion with an unknown context: " + detail;
    }
  }

  private void handleMessage(int index, long length) {
    MemorySegment frame = receives[index];
    if (!ProbeFrame.valid(frame, length)) {
      reposts.add(index);
      return;
    }
    long id = ProbeFrame.session(frame);
    Session session = sessions.get(id);
    if (session != null) {
      session.lastActiveNanos = nanoTime.getAsLong();
    }
    byte type = ProbeFrame.type(frame);
    if (type == ProbeFrame.PING && session != null) {
      // Echoed from the receive buffer itself, which is reposted once the echo is sent.
      ProbeFrame.setType(frame, ProbeFrame.PONG);
      outbound.add(new Pending(ProbeFrame.PONG, session, 0, 0, index, length));
      return;
    }
    if (type == ProbeFrame.HELLO) {
      handleHello(frame, length, id, session);
    } else if (type == ProbeFrame.DATA && session != null) {
      var payload = frame.asSlice(ProbeFrame.HEADER_BYTES, length - ProbeFrame.HEADER_BYTES)
          .asByteBuffer();
      session.received++;
      if (ProbePayload.crc32c(payload) == ProbeFrame.crc(frame)) {
        session.verified++;
        messagesVerified.incrementAndGet();
      } else if (session.firstBad < 0) {
        session.firstBad = ProbeFrame.sequence(frame);
      }
      maybeFinish(session);
    } else if (type == ProbeFrame.WRITTEN && session != null && rmaTarget != null) {
      handleWritten(frame, session);
    } else if (type == ProbeFrame.DONE && session != null) {
      session.expected = ProbeFrame.sequence(frame);
      maybeFinish(session);
    } else if (type == ProbeFrame.BYE && session != null) {
      // A pending echo or reply to it may still be queued: it is sent or fails on its own.
      end(session);
    }
    reposts.add(index);
  }

  /** An RMA message landed in its slot: check it, and give the slot back. */
  private void handleWritten(MemorySegment frame, Session session) {
    int slot = ProbeFrame.payloadInt(frame, 0);
    int length = ProbeFrame.payloadInt(frame, 4);
    long sequence = ProbeFrame.sequence(frame);
    session.received++;
    boolean inRegion = slot >= 0 && length >= 0 && length <= maxMessageBytes
        && (long) (slot + 1) * maxMessageBytes <= rmaTarget.byteSize();
    if (inRegion && ProbePayload.crc32c(rmaTarget.asSlice((long) slot * maxMessageBytes, length)
        .asByteBuffer()) == ProbeFrame.crc(frame)) {
      session.verified++;
      messagesVerified.incrementAndGet();
    } else if (session.firstBad < 0) {
      session.firstBad = sequence;
    }
    outbound.add(new Pending(ProbeFrame.CREDIT, session, sequence, 0, -1, 0));
    maybeFinish(session);
  }

  private void handleHello(MemorySegment frame, long length, long id, Session existing) {
    if (existing != null) {
      outbound.add(new Pending(ProbeFrame.HELLO_ACK, existing, 0, maxMessageBytes, -1, 0));
      return;
    }
    if (rmaTarget != null && !sessions.isEmpty()) {
      // One registered region, one writer at a time.
      rejected.incrementAndGet();
      return;
    }
    long payload = length - ProbeFrame.HEADER_BYTES;
    int nameLength = payload >= 8 ? ProbeFrame.payloadInt(frame, 4) : -1;
    if (nameLength <= 0 || nameLength > MAX_ADDRESS_BYTES || 8 + nameLength > payload) {
      rejected.incrementAndGet();
      return;
    }
    byte[] name = frame.asSlice(ProbeFrame.HEADER_BYTES + 8, nameLength)
        .toArray(ValueLayout.JAVA_BYTE);
    if (SocketAddressCheck.isSocketAddress(ownName)
        && SocketAddressCheck.problem(ownName, name).isPresent()) {
      rejected.incrementAndGet();
      return;
    }
    long peer;
    try {
      peer = endpoint.insert(name);
    } catch (FabricCallException e) {
      rejected.incrementAndGet();
      return;
    }
    Session session = new Session(id, peer, nanoTime.getAsLong());
    sessions.put(id, session);
    sessionsOpen.incrementAndGet();
    outbound.add(new Pending(ProbeFrame.HELLO_ACK, session, 0, maxMessageBytes, -1, 0));
  }

  private void maybeFinish(Session session) {
    if (session.finishing || session.expected < 0 || session.received < session.expected) {
      return;
    }
    session.finishing = true;
    if (session.firstBad >= 0) {
      outbound.add(new Pending(ProbeFrame.MISMATCH, session, session.firstBad, 0, -1, 0));
    } else {
      outbound.add(new Pending(ProbeFrame.OK, session, session.verified, 0, -1, 0));
    }
  }

  /** Sends what is waiting, in order, until a slot or the send queue runs out. */
  private int flush() {
    int sent = 0;
    while (!outbound.isEmpty()) {
      Pending next = outbound.peek();
      long rc;
      if (next.echoSlot() >= 0) {
        rc = endpoint.send(receives[next.echoSlot()], next.echoLength(), next.session().peer,
            context(ECHO, next.echoSlot()));
      } else {
        Integer slot = freeReplies.poll();
        if (slot == null) {
          return sent;
        }
        MemorySegment frame = replies[slot];
        ProbeFrame.write(frame, next.type(), 0, next.session().id, next.sequence());
        ProbeFrame.setPayloadInt(frame, 0, next.value());
        boolean verdict = next.type() == ProbeFrame.OK || next.type() == ProbeFrame.MISMATCH;
        replyFinishes[slot] = verdict ? next.session() : null;
        rc = endpoint.send(frame, ProbeFrame.HEADER_BYTES + 4, next.session().peer,
            context(REPLY, slot));
        if (rc != 0) {
          replyFinishes[slot] = null;
          freeReplies.addFirst(slot);
        }
      }
      if (rc == -FiStructs.FI_EAGAIN) {
        return sent;
      }
      outbound.poll();
      if (rc != 0) {
        // The peer is gone (its connection failed): the probe's client times out on its own.
        if (next.echoSlot() >= 0) {
          reposts.add(next.echoSlot());
        }
        continue;
      }
      sent++;
    }
    return sent;
  }

  private void retryReposts() throws FabricCallException {
    while (!reposts.isEmpty()) {
      int index = reposts.peek();
      MemorySegment buffer = receives[index];
      long rc = endpoint.receive(buffer, buffer.byteSize(), context(RX, index));
      if (rc == -FiStructs.FI_EAGAIN) {
        return;
      }
      if (rc != 0) {
        throw new FabricCallException("fi_recv", (int) -rc, endpoint.strerror((int) -rc));
      }
      reposts.poll();
    }
  }

  private void expire(long now) {
    for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
      Session session = it.next();
      if (now - session.lastActiveNanos > sessionTimeoutNanos) {
        it.remove();
        removePeer(session);
      }
    }
  }

  private void end(Session session) {
    if (sessions.remove(session.id) != null) {
      removePeer(session);
    }
  }

  private void removePeer(Session session) {
    sessionsOpen.decrementAndGet();
    try {
      endpoint.remove(session.peer);
    } catch (FabricCallException e) {
      // The entry stays in the address vector; harmless but for the memory, and rare.
    }
  }

  private static long context(int kind, int index) {
    return ((long) kind << 32) | index;
  }
}
