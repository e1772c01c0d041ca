package dev.meshd.raft;

import dev.meshd.raft.internal.StoreCodec;
import dev.meshd.raft.internal.StoreReply;
import dev.meshd.raft.internal.StoreRequest;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * Drives one {@link PolicyStateMachine} the way Ratis does (initialize on a real storage
 * directory, apply log entries in order, query), without a server or network.
 */
final class StateMachineHarness implements AutoCloseable {

  final PolicyStateMachine stateMachine;
  private final RaftStorage storage;
  private long index;

  StateMachineHarness(Path dir, int historyLimit) throws IOException {
    storage = RaftStorage.newBuilder()
        .setDirectory(dir.toFile())
        .setOption(RaftStorage.StartupOption.RECOVER)
        .setStorageFreeSpaceMin(SizeInBytes.valueOf(0))
        .setLogCorruptionPolicy(RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION)
        .build();
    storage.initialize();
    stateMachine = new PolicyStateMachine(historyLimit);
    stateMachine.initialize(fakeServer(), RaftPolicyServer.GROUP_ID, storage);
    index = Math.max(0, stateMachine.getLastAppliedTermIndex().getIndex());
  }

  StoreReply apply(StoreRequest request) {
    index++;
    LogEntryProto entry = LogEntryProto.newBuilder()
        .setTerm(1)
        .setIndex(index)
        .setStateMachineLogEntry(StateMachineLogEntryProto.newBuilder()
            .setLogData(ByteString.copyFrom(StoreCodec.encode(request))))
        .build();
    TransactionContext trx = TransactionContext.newBuilder()
        .setStateMachine(stateMachine)
        .setServerRole(RaftPeerRole.FOLLOWER)
        .setLogEntry(entry)
        .build();
    return decode(stateMachine.applyTransaction(trx).join());
  }

  StoreReply query(StoreRequest request) {
    Message message = Message.valueOf(ByteString.copyFrom(StoreCodec.encode(request)));
    return decode(stateMachine.query(message).join());
  }

  @Override
  public void close() throws IOException {
    stateMachine.close();
    storage.close();
  }

  private static StoreReply decode(Message message) {
    return StoreCodec.decode(message.getContent().toByteArray(), StoreReply.class);
  }

  /** Only what BaseStateMachine asks of its server: the peer id. */
  private static RaftServer fakeServer() {
    RaftPeerId id = RaftPeerId.valueOf("unit");
    return (RaftServer) Proxy.newProxyInstance(RaftServer.class.getClassLoader(),
        new Class<?>[] {RaftServer.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getId" -> id;
          case "toString" -> "fake-server";
          case "hashCode" -> 0;
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
