package dev.meshd.cli.raft;

import dev.meshd.cli.command.CommandFailure;
import dev.meshd.cli.command.ExitCodes;
import dev.meshd.proto.v1.SnapshotChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes a SaveSnapshot stream to a file so that the file either is the whole, verified snapshot
 * or does not exist: the chunks go to {@code FILE.tmp} beside it (same directory, so the final
 * rename is atomic), which is synced, checked against the SHA-256 the last chunk carries and only
 * then renamed to {@code FILE}. On any failure (stream broken, checksum wrong, disk full) the
 * temporary file is removed and {@code FILE} is left as it was. Used from one thread.
 */
final class SnapshotDownload {

  /**
   * A saved snapshot.
   *
   * @param revision the store revision it was taken at
   * @param bytes its size
   * @param sha256 its SHA-256, lower-case hex, as verified
   */
  record Saved(long revision, long bytes, String sha256) {}

  private final Path target;
  private final Path temporary;
  private final boolean replace;

  /**
   * @param target where the snapshot ends up
   * @param replace whether an existing {@code target} may be overwritten
   */
  SnapshotDownload(Path target, boolean replace) {
    this.target = Objects.requireNonNull(target, "target");
    this.temporary = target.resolveSibling(target.getFileName() + ".tmp");
    this.replace = replace;
  }

  /**
   * Consumes {@code chunks} and, when the checksum matches, moves the file into place.
   *
   * @throws io.grpc.StatusRuntimeException when the stream fails
   * @throws CommandFailure when the checksum is missing or wrong (exit 1) or the file cannot be
   *     written (exit 2)
   */
  Saved save(Iterator<SnapshotChunk> chunks) {
    boolean moved = false;
    try {
      Saved saved = write(chunks);
      move();
      moved = true;
      return saved;
    } catch (IOException e) {
      throw new CommandFailure(
          ExitCodes.INVALID_INPUT, target + ": cannot write: " + e.getMessage(), e);
    } finally {
      if (!moved) {
        deleteTemporary();
      }
    }
  }

  private Saved write(Iterator<SnapshotChunk> chunks) throws IOException {
    MessageDigest digest = sha256();
    long revision = 0;
    long bytes = 0;
    String expected = "";
    try (FileChannel file = FileChannel.open(temporary, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      boolean first = true;
      while (chunks.hasNext()) {
        SnapshotChunk chunk = chunks.next();
        if (first) {
          revision = chunk.getRevision();
          first = false;
        }
        ByteBuffer data = chunk.getData().asReadOnlyByteBuffer();
        digest.update(data.duplicate());
        while (data.hasRemaining()) {
          bytes += file.write(data);
        }
        if (!chunk.getSha256().isEmpty()) {
          expected = chunk.getSha256();
        }
      }
      // Durable before it gets the final name: a crash must not leave a FILE with holes.
      file.force(true);
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    verify(expected, actual);
    return new Saved(revision, bytes, actual);
  }

  private void verify(String expected, String actual) {
    if (expected.isEmpty()) {
      throw new CommandFailure(ExitCodes.AGENT_FAILED,
          "snapshot stream ended without a sha256; " + target + " not written");
    }
    if (!expected.toLowerCase(Locale.ROOT).equals(actual)) {
      throw new CommandFailure(ExitCodes.AGENT_FAILED,
          "snapshot checksum mismatch: the agent sent sha256 " + expected
              + ", the received bytes hash to " + actual + "; " + target + " not written");
    }
  }

  private void move() throws IOException {
    // Checked before the stream started too; checked again since that took a while.
    if (!replace && Files.exists(target)) {
      throw new CommandFailure(ExitCodes.INVALID_INPUT,
          target + ": already exists (use --force to overwrite)");
    }
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    syncDirectory();
  }

  /** Makes the rename itself durable; not every platform lets a directory be opened for this. */
  private void syncDirectory() {
    Path directory = target.toAbsolutePath().getParent();
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // The file is complete and renamed; only its survival of a power cut right now is unsure.
    }
  }

  private void deleteTemporary() {
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      // Reported by the failure already in flight; a stray FILE.tmp is harmless and overwritten
      // by the next save.
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest javadoc).
      throw new IllegalStateException(e);
    }
  }
}
