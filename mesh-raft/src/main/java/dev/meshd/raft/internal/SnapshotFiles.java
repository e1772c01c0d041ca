package dev.meshd.raft.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;

/**
 * Snapshot files: one JSON {@link SnapshotDocument} per snapshot, named by Ratis's
 * {@link SimpleStateMachineStorage} convention ({@code snapshot.TERM_INDEX}) with an MD5 file
 * beside it, which is what lets the leader ship it to a lagging follower. Stateless.
 */
public final class SnapshotFiles {

  private SnapshotFiles() {}

  /**
   * Writes the snapshot durably: to a temporary file, fsync, then an atomic rename, so a crash
   * leaves either the old or the new snapshot, never half of one.
   */
  public static SingleFileSnapshotInfo write(
      SimpleStateMachineStorage storage, TermIndex at, SnapshotDocument document)
      throws IOException {
    File target = storage.getSnapshotFile(at.getTerm(), at.getIndex());
    Path tmp = target.toPath().resolveSibling(target.getName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      out.write(StoreCodec.encode(document));
    }
    try (var channel = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(target);
    return new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5), at);
  }

  /** Reads a snapshot after checking its MD5, so a damaged file fails loudly. */
  public static SnapshotDocument read(SingleFileSnapshotInfo snapshot) throws IOException {
    File file = snapshot.getFile().getPath().toFile();
    MD5Hash md5 = snapshot.getFile().getFileDigest();
    if (md5 == null) {
      md5 = MD5FileUtil.readStoredMd5ForFile(file);
    }
    MD5FileUtil.verifySavedMD5(file, md5);
    try (InputStream in = Files.newInputStream(file.toPath())) {
      return StoreCodec.read(in, SnapshotDocument.class);
    }
  }
}
