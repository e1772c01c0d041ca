package dev.meshd.cli.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.proto.v1.SaveSnapshotRequest;
import dev.meshd.proto.v1.SnapshotChunk;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaveSnapshotCommandTest {

  /** Larger than one chunk, so the file is assembled from several. */
  private static final byte[] SNAPSHOT = snapshotBytes();

  @TempDir
  Path dir;

  private FakeAgent agent;
  private CliRunner cli;
  private Path file;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    cli = CliRunner.against(agent);
    file = dir.resolve("store.snap");
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void writesTheVerifiedSnapshotAndSaysWhere() throws IOException {
    agent.policies().snapshot(chunks(SNAPSHOT, sha256(SNAPSHOT)));

    Result result = cli.run("raft", "snapshot", "save", file.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo("snapshot at revision 42 saved to " + file + " ("
        + SNAPSHOT.length + " bytes, sha256 " + sha256(SNAPSHOT) + ")\n");
    assertThat(Files.readAllBytes(file)).isEqualTo(SNAPSHOT);
    assertThat(dir.resolve("store.snap.tmp")).doesNotExist();
    assertThat(agent.policies().requests(SaveSnapshotRequest.class)).hasSize(1);
  }

  @Test
  void upperCaseChecksumIsAccepted() {
    agent.policies().snapshot(chunks(SNAPSHOT, sha256(SNAPSHOT).toUpperCase()));

    assertThat(cli.run("raft", "snapshot", "save", file.toString()).exitCode()).isZero();
  }

  @Test
  void jsonSaysWhatWasSaved() throws Exception {
    agent.policies().snapshot(chunks(SNAPSHOT, sha256(SNAPSHOT)));

    Result result = cli.run("raft", "snapshot", "save", file.toString(), "-o", "json");

    JsonNode saved = new ObjectMapper().readTree(result.out());
    assertThat(saved.get("file").asText()).isEqualTo(file.toString());
    assertThat(saved.get("revision").asText()).isEqualTo("42");
    assertThat(saved.get("bytes").asText()).isEqualTo(Integer.toString(SNAPSHOT.length));
    assertThat(saved.get("sha256").asText()).isEqualTo(sha256(SNAPSHOT));
  }

  @Test
  void checksumMismatchExitsOneAndLeavesNoFile() {
    String wrong = sha256("something else".getBytes(StandardCharsets.UTF_8));
    agent.policies().snapshot(chunks(SNAPSHOT, wrong));

    Result result = cli.run("raft", "snapshot", "save", file.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("snapshot checksum mismatch: the agent sent sha256 "
        + wrong + ", the received bytes hash to " + sha256(SNAPSHOT) + "; " + file
        + " not written\n");
    assertThat(file).doesNotExist();
    assertThat(dir.resolve("store.snap.tmp")).doesNotExist();
  }

  @Test
  void missingChecksumExitsOneAndLeavesNoFile() {
    agent.policies().snapshot(chunks(SNAPSHOT, ""));

    Result result = cli.run("raft", "snapshot", "save", file.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(
        "snapshot stream ended without a sha256; " + file + " not written\n");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void mismatchWithForceKeepsTheOldFile() throws IOException {
    Files.writeString(file, "the old snapshot");
    agent.policies().snapshot(chunks(SNAPSHOT, "00"));

    Result result = cli.run("raft", "snapshot", "save", file.toString(), "--force");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(file).hasContent("the old snapshot");
    assertThat(dir.resolve("store.snap.tmp")).doesNotExist();
  }

  @Test
  void existingFileIsRefusedWithoutForceAndNothingIsSent() throws IOException {
    Files.writeString(file, "the old snapshot");
    agent.policies().snapshot(chunks(SNAPSHOT, sha256(SNAPSHOT)));

    Result result = cli.run("raft", "snapshot", "save", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).isEqualTo(file + ": already exists (use --force to overwrite)\n");
    assertThat(file).hasContent("the old snapshot");
    assertThat(agent.policies().requests()).isEmpty();
  }

  @Test
  void forceOverwrites() throws IOException {
    Files.writeString(file, "the old snapshot");
    agent.policies().snapshot(chunks(SNAPSHOT, sha256(SNAPSHOT)));

    Result result = cli.run("raft", "snapshot", "save", file.toString(), "--force");

    assertThat(result.exitCode()).isZero();
    assertThat(Files.readAllBytes(file)).isEqualTo(SNAPSHOT);
  }

  @Test
  void streamFailureMidwayLeavesNoFile() {
    List<SnapshotChunk> firstOnly = chunks(SNAPSHOT, sha256(SNAPSHOT)).subList(0, 1);
    agent.policies().snapshot(firstOnly, Status.UNAVAILABLE.withDescription("leader lost"));

    Result result = cli.run("raft", "snapshot", "save", file.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("unavailable: leader lost\n");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void refusedSnapshotExitsOne() {
    agent.policies().failWith(Status.PERMISSION_DENIED.withDescription(
        "role operator may not take snapshots"));

    Result result = cli.run("raft", "snapshot", "save", file.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(
        "permission denied: role operator may not take snapshots\n");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void truncatedStreamFailsTheChecksum() {
    agent.policies().snapshot(chunks(SNAPSHOT, sha256(SNAPSHOT)).subList(1, 3));

    Result result = cli.run("raft", "snapshot", "save", file.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("snapshot checksum mismatch");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void missingDirectoryOrADirectoryAsFileAreUsageErrors() {
    Result noDir = cli.run("raft", "snapshot", "save", dir.resolve("no/such/x.snap").toString());
    Result isDir = cli.run("raft", "snapshot", "save", dir.toString());

    assertThat(noDir.exitCode()).isEqualTo(2);
    assertThat(noDir.err()).contains("does not exist");
    assertThat(isDir.exitCode()).isEqualTo(2);
    assertThat(isDir.err()).contains("is a directory");
    assertThat(cli.run("raft", "snapshot").exitCode()).isEqualTo(2);
    assertThat(agent.policies().requests()).isEmpty();
  }

  /** The snapshot in three chunks: revision on the first, the checksum on the last. */
  static List<SnapshotChunk> chunks(byte[] data, String sha256) {
    int third = data.length / 3;
    List<SnapshotChunk> chunks = new ArrayList<>();
    chunks.add(SnapshotChunk.newBuilder().setRevision(42)
        .setData(ByteString.copyFrom(data, 0, third)).build());
    chunks.add(SnapshotChunk.newBuilder()
        .setData(ByteString.copyFrom(data, third, third)).build());
    chunks.add(SnapshotChunk.newBuilder()
        .setData(ByteString.copyFrom(Arrays.copyOfRange(data, 2 * third, data.length)))
        .setSha256(sha256).build());
    return chunks;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] snapshotBytes() {
    byte[] data = new byte[100_003];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 + 7);
    }
    return data;
  }
}
