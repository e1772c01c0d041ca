package dev.meshd.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.policy.ChangeType;
import dev.meshd.core.policy.DocumentKind;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.StoreChange;
import dev.meshd.raft.internal.StoreCodec;
import dev.meshd.raft.internal.StoreReply;
import dev.meshd.raft.internal.StoreReply.Outcome;
import dev.meshd.raft.internal.StoreRequest;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.ratis.util.MD5FileUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drain keyspace in the state machine, its snapshots and exports. */
class DrainStoreTest {

  private static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");

  @TempDir Path dir;

  private static StoreRequest drain(String node, Long expected) {
    return StoreRequest.put(NodeDrain.of(node, "kernel upgrade", AT), expected);
  }

  @Test
  void drainsShareTheStoreRevisionAndSupportCompareAndSet() throws Exception {
    try (StateMachineHarness sm = new StateMachineHarness(dir, 100)) {
      sm.apply(StoreRequest.put(Documents.policy("p"), null));
      StoreReply put = sm.apply(drain("node2", 0L));
      StoreReply again = sm.apply(drain("node2", 0L));

      assertThat(put.outcome()).isEqualTo(Outcome.OK);
      assertThat(put.drain()).isEqualTo(NodeDrain.of("node2", "kernel upgrade", AT)
          .withRevision(2));
      assertThat(again.outcome()).isEqualTo(Outcome.CONFLICT);
      assertThat(again.revision()).isEqualTo(2);
      assertThat(sm.apply(drain("node1", null)).revision()).isEqualTo(3);
      // A policy of the same name is another keyspace.
      assertThat(sm.query(StoreRequest.get(DocumentKind.POLICY, "node2")).outcome())
          .isEqualTo(Outcome.NOT_FOUND);

      StoreReply list = sm.query(StoreRequest.list(DocumentKind.DRAIN));
      assertThat(list.drains()).extracting(NodeDrain::nodeId).containsExactly("node1", "node2");
      assertThat(list.revision()).isEqualTo(3);
      assertThat(list.policies()).isEmpty();

      assertThat(sm.apply(StoreRequest.delete(DocumentKind.DRAIN, "node2", 1L)).outcome())
          .isEqualTo(Outcome.CONFLICT);
      assertThat(sm.apply(StoreRequest.delete(DocumentKind.DRAIN, "node2", 2L)).revision())
          .isEqualTo(4);
      assertThat(sm.apply(StoreRequest.delete(DocumentKind.DRAIN, "node2", null)).outcome())
          .as("uncordon of a node that is not drained").isEqualTo(Outcome.NOT_FOUND);
      assertThat(sm.stateMachine.revision()).isEqualTo(4);
    }
  }

  @Test
  void aDrainPutWhoseKeyDiffersFromItsNodeIdIsMalformed() throws Exception {
    try (StateMachineHarness sm = new StateMachineHarness(dir, 100)) {
      StoreRequest mismatched = new StoreRequest(StoreRequest.Op.PUT, DocumentKind.DRAIN,
          "node1", null, null, null, null, NodeDrain.of("node2", "", AT));

      assertThat(sm.apply(mismatched).outcome()).isEqualTo(Outcome.MALFORMED);
      assertThat(sm.stateMachine.revision()).isZero();
    }
  }

  @Test
  void watchesDeliverDrainPutsAndDeletes() throws Exception {
    try (StateMachineHarness sm = new StateMachineHarness(dir, 100)) {
      PolicyStateMachineTest.Recorder recorder = new PolicyStateMachineTest.Recorder();
      sm.stateMachine.watch(1, recorder);

      sm.apply(drain("node2", null));
      sm.apply(StoreRequest.delete(DocumentKind.DRAIN, "node2", null));

      await().atMost(Duration.ofSeconds(5)).until(() -> recorder.changes.size() == 2);
      StoreChange put = recorder.changes.get(0);
      assertThat(put.kind()).isEqualTo(DocumentKind.DRAIN);
      assertThat(put.drain().reason()).isEqualTo("kernel upgrade");
      assertThat(recorder.changes.get(1).type()).isEqualTo(ChangeType.DELETE);
      assertThat(recorder.changes.get(1).name()).isEqualTo("node2");
    }
  }

  @Test
  void snapshotsKeepDrainsAndTheirHistory() throws Exception {
    StateMachineHarness sm = new StateMachineHarness(dir, 100);
    sm.apply(drain("node2", null));
    sm.apply(StoreRequest.put(Documents.policy("p"), null));
    sm.stateMachine.takeSnapshot();
    sm.close();

    try (StateMachineHarness reopened = new StateMachineHarness(dir, 100)) {
      assertThat(reopened.query(StoreRequest.get(DocumentKind.DRAIN, "node2")).drain().revision())
          .isEqualTo(1);
      PolicyStateMachineTest.Recorder recorder = new PolicyStateMachineTest.Recorder();
      reopened.stateMachine.watch(1, recorder);
      await().atMost(Duration.ofSeconds(5)).until(() -> recorder.changes.size() == 2);
      assertThat(recorder.changes.get(0).drain().nodeId()).isEqualTo("node2");
    }
  }

  @Test
  void aSnapshotWrittenBeforeDrainsExistedStillLoads() throws Exception {
    File snapshotFile;
    try (StateMachineHarness sm = new StateMachineHarness(dir, 100)) {
      snapshotFile = sm.stateMachine.getStateMachineStorage().getSnapshotFile(1, 2);
    }
    // Exactly what the previous version wrote: no "drains", history without drain fields.
    Files.writeString(snapshotFile.toPath(), """
        {"format":1,"revision":2,
         "policies":[{"name":"p","modelSelector":"llama-*","strategy":"hybrid","weights":{},
           "admission":{"maxQueueDepthPerTarget":0,"maxInFlightPerTenant":0},
           "hedging":{"enabled":false,"delay":"PT0S"},"revision":1}],
         "placements":[],
         "history":[
           {"revision":1,"type":"PUT","kind":"POLICY","name":"p","policy":{"name":"p",
             "modelSelector":"llama-*","strategy":"hybrid","revision":1}},
           {"revision":2,"type":"DELETE","kind":"PLACEMENT","name":"gone"}]}
        """, StandardCharsets.UTF_8);
    MD5FileUtil.computeAndSaveMd5ForFile(snapshotFile);

    try (StateMachineHarness sm = new StateMachineHarness(dir, 100)) {
      assertThat(sm.stateMachine.revision()).isEqualTo(2);
      assertThat(sm.query(StoreRequest.list(DocumentKind.DRAIN)).drains()).isEmpty();
      assertThat(sm.query(StoreRequest.get(DocumentKind.POLICY, "p")).policy().revision())
          .isEqualTo(1);
      assertThat(sm.apply(drain("node2", 0L)).revision()).isEqualTo(3);
      PolicyStateMachineTest.Recorder recorder = new PolicyStateMachineTest.Recorder();
      sm.stateMachine.watch(1, recorder);
      await().atMost(Duration.ofSeconds(5)).until(() -> recorder.changes.size() == 3);
      assertThat(recorder.changes.get(1).drain()).isNull();
    }
  }

  @Test
  void exportsCarryDrainsAndRestoreThem() throws Exception {
    StoreExport export;
    try (StateMachineHarness source = new StateMachineHarness(dir.resolve("a"), 100)) {
      source.apply(StoreRequest.put(Documents.policy("p"), null));
      source.apply(drain("node2", null));
      export = StoreExport.parse(source.stateMachine.export().json());
    }
    assertThat(export.documentCount()).isEqualTo(2);

    try (StateMachineHarness target = new StateMachineHarness(dir.resolve("b"), 100)) {
      assertThat(target.apply(StoreRequest.restore(export.document())).outcome())
          .isEqualTo(Outcome.OK);
      assertThat(target.query(StoreRequest.get(DocumentKind.DRAIN, "node2")).drain())
          .isEqualTo(NodeDrain.of("node2", "kernel upgrade", AT).withRevision(2));
    }
  }

  @Test
  void anExportWithoutDrainsParsesAndABadDrainIsNamed() throws Exception {
    StoreExport old = StoreExport.parse("""
        {"format":1,"revision":1,"policies":[{"name":"x","modelSelector":"m",
         "strategy":"hybrid","revision":1}],"placements":[]}
        """.getBytes(StandardCharsets.UTF_8));
    assertThat(old.documentCount()).isEqualTo(1);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StoreExport.parse("""
        {"format":1,"revision":3,"drains":[{"nodeId":"node 2",
         "requestedAt":"2026-11-29T10:00:00Z","revision":3}]}
        """.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidExportException.class)
        .hasMessageContaining("drain \"node 2\"").hasMessageContaining("nodeId");
  }

  @Test
  void drainRequestsRoundTripThroughTheCodec() {
    StoreRequest request = drain("node2", 4L);

    String json = new String(StoreCodec.encode(request), StandardCharsets.UTF_8);

    assertThat(json).contains("\"requestedAt\":\"2026-11-29T10:00:00Z\"")
        .contains("\"kind\":\"DRAIN\"");
    assertThat(StoreCodec.decode(json.getBytes(StandardCharsets.UTF_8), StoreRequest.class))
        .isEqualTo(request);
  }
}
