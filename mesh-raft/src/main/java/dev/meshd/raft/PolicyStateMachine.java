package dev.meshd.raft;

import dev.meshd.core.policy.PolicyStore;
import dev.meshd.core.policy.StoreUnavailableException;
import dev.meshd.core.policy.WatchListener;
import dev.meshd.raft.internal.SnapshotFiles;
import dev.meshd.raft.internal.StoreCodec;
import dev.meshd.raft.internal.StoreReply;
import dev.meshd.raft.internal.StoreRequest;
import dev.meshd.raft.internal.StoreState;
import dev.meshd.raft.internal.WatchHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of the policy store: applies committed writes to {@link StoreState}
 * (two keyspaces, one store revision, compare-and-set decided here at apply time so a rejected
 * write changes nothing on every replica), answers reads, feeds watches, and keeps snapshots in
 * Ratis's {@link SimpleStateMachineStorage} as one JSON file each (see {@link SnapshotFiles}).
 *
 * <p>Thread-safety: Ratis applies entries from one thread; reads, watch registrations and
 * snapshots come from others. A read-write lock guards the state: applies and snapshot loads take
 * the write lock, reads and snapshot writes the read lock.
 */
public final class PolicyStateMachine extends BaseStateMachine {

  /** Enough for a watcher to ride out a restart of several minutes under heavy writing. */
  public static final int DEFAULT_HISTORY_LIMIT = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(PolicyStateMachine.class);

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final StoreState state; // guarded by lock
  private final WatchHub watches;
  private final Consumer<Duration> snapshotListener;

  /**
   * @param historyLimit changes kept for watches to resume from (and queued per watch)
   * @param snapshotListener told how long each snapshot took
   */
  public PolicyStateMachine(int historyLimit, Consumer<Duration> snapshotListener) {
    this.state = new StoreState(historyLimit);
    this.watches = new WatchHub(historyLimit);
    this.snapshotListener = snapshotListener;
  }

  public PolicyStateMachine(int historyLimit) {
    this(historyLimit, duration -> {});
  }

  public PolicyStateMachine() {
    this(DEFAULT_HISTORY_LIMIT);
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    // Ratis checks this life cycle: RUNNING after start, PAUSED while a snapshot is installed.
    getLifeCycle().startAndTransition(() -> {
      super.initialize(server, groupId, raftStorage);
      storage.init(raftStorage);
      loadLatestSnapshot();
    }, IOException.class);
  }

  /** Called by Ratis before it installs a snapshot from the leader on this follower. */
  @Override
  public void pause() {
    if (getLifeCycleState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  /** Called by Ratis after it installed a snapshot from the leader on this follower. */
  @Override
  public void reinitialize() throws IOException {
    loadLatestSnapshot();
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
    StoreReply reply;
    lock.writeLock().lock();
    try {
      StoreRequest request = decodeOrNull(data, entry.getIndex());
      reply = state.apply(request,
          change -> watches.publish(change, state.history().oldestRetained(change.revision())));
      if (request != null && request.op() == StoreRequest.Op.RESTORE
          && reply.outcome() == StoreReply.Outcome.OK) {
        // Watches of the empty store cannot continue into a restored one: they relist.
        watches.reset(state);
        LOG.info("policy store: restored at revision {} (log index {})", reply.revision(),
            entry.getIndex());
      }
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    } finally {
      lock.writeLock().unlock();
    }
    return CompletableFuture.completedFuture(toMessage(reply));
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    try {
      StoreRequest read = StoreCodec.decode(request.getContent().toByteArray(), StoreRequest.class);
      return CompletableFuture.completedFuture(toMessage(read(read)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Answers a read from this replica's state, which may lag the leader's. */
  public StoreReply read(StoreRequest request) {
    lock.readLock().lock();
    try {
      return state.read(request);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** This replica's store revision. */
  public long revision() {
    lock.readLock().lock();
    try {
      return state.revision();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Watches the changes this replica applies, from {@code fromRevision}. Revisions are decided by
   * the log, so every replica delivers the same changes in the same order.
   */
  public PolicyStore.Watch watch(long fromRevision, WatchListener listener) {
    if (fromRevision < 1) {
      throw new IllegalArgumentException("fromRevision: " + fromRevision + " (expected: >= 1)");
    }
    lock.readLock().lock();
    try {
      return watches.register(fromRevision, listener, state);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A consistent copy of this replica's store, with the log index it reflects. */
  public StoreExport export() {
    lock.readLock().lock();
    try {
      TermIndex last = getLastAppliedTermIndex();
      return StoreExport.of(state.toSnapshot(), last == null ? -1 : last.getIndex());
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeaderId) {
    LOG.info("raft: {} sees leader {}", member.getPeerId(), newLeaderId);
  }

  @Override
  public long takeSnapshot() throws IOException {
    long started = System.nanoTime();
    lock.readLock().lock();
    try {
      TermIndex last = getLastAppliedTermIndex();
      if (last == null || last.getIndex() < 0) {
        return RaftLog.INVALID_LOG_INDEX;
      }
      SingleFileSnapshotInfo info = SnapshotFiles.write(storage, last, state.toSnapshot());
      storage.updateLatestSnapshot(info);
      LOG.info("policy store: snapshot at index {} (revision {})", last.getIndex(),
          state.revision());
      snapshotListener.accept(Duration.ofNanos(System.nanoTime() - started));
      return last.getIndex();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() throws IOException {
    watches.failAll(new StoreUnavailableException("policy store closed", null));
    watches.close();
    super.close();
  }

  private void loadLatestSnapshot() throws IOException {
    SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
    if (snapshot == null) {
      return;
    }
    var document = SnapshotFiles.read(snapshot);
    lock.writeLock().lock();
    try {
      state.load(document);
      setLastAppliedTermIndex(snapshot.getTermIndex());
      watches.reset(state);
    } finally {
      lock.writeLock().unlock();
    }
    LOG.info("policy store: loaded snapshot at index {} (revision {})",
        snapshot.getIndex(), document.revision());
  }

  /** A command no replica can decode is answered MALFORMED by all of them alike. */
  private static StoreRequest decodeOrNull(byte[] data, long index) {
    try {
      return StoreCodec.decode(data, StoreRequest.class);
    } catch (UncheckedIOException | IllegalArgumentException | NullPointerException e) {
      LOG.warn("policy store: log entry {} is not a store command: {}", index, e.toString());
      return null;
    }
  }

  private static Message toMessage(StoreReply reply) {
    return Message.valueOf(ByteString.copyFrom(StoreCodec.encode(reply)));
  }
}
