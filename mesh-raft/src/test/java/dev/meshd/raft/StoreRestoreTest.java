package dev.meshd.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.policy.DocumentKind;
import dev.meshd.core.policy.RevisionCompactedException;
import dev.meshd.raft.internal.StoreReply;
import dev.meshd.raft.internal.StoreReply.Outcome;
import dev.meshd.raft.internal.StoreRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export of a replica, the checks of a saved store, and RESTORE in the state machine. */
class StoreRestoreTest {

  @TempDir Path dir;

  @Test
  void exportRoundTripsAndRestoreLoadsItIntoAnEmptyStore() throws Exception {
    StoreExport export;
    try (StateMachineHarness source = new StateMachineHarness(dir.resolve("a"), 100)) {
      source.apply(StoreRequest.put(Documents.policy("p1"), null));
      source.apply(StoreRequest.put(Documents.placement("pl"), null));
      source.apply(StoreRequest.put(Documents.policy("p1"), null));
      export = source.stateMachine.export();
    }
    assertThat(export.revision()).isEqualTo(3);
    assertThat(export.appliedIndex()).isEqualTo(3);
    assertThat(new String(export.json(), StandardCharsets.UTF_8))
        .contains("\"history\":[]");

    StoreExport parsed = StoreExport.parse(export.json());
    assertThat(parsed.revision()).isEqualTo(3);
    assertThat(parsed.appliedIndex()).isEqualTo(-1);
    assertThat(parsed.documentCount()).isEqualTo(2);

    try (StateMachineHarness target = new StateMachineHarness(dir.resolve("b"), 100)) {
      PolicyStateMachineTest.Recorder watcher = new PolicyStateMachineTest.Recorder();
      target.stateMachine.watch(1, watcher);

      StoreReply restored = target.apply(StoreRequest.restore(parsed.document()));

      assertThat(restored.outcome()).isEqualTo(Outcome.OK);
      assertThat(restored.revision()).isEqualTo(3);
      assertThat(target.query(StoreRequest.get(DocumentKind.POLICY, "p1")).policy().revision())
          .isEqualTo(3);
      assertThat(target.query(StoreRequest.get(DocumentKind.PLACEMENT, "pl")).placement()
          .revision()).isEqualTo(2);
      // Revisions continue after the saved store's.
      assertThat(target.apply(StoreRequest.put(Documents.policy("p2"), 0L)).revision())
          .isEqualTo(4);
      // A watch of the empty store cannot continue into the restored one: it relists.
      await().atMost(Duration.ofSeconds(5)).until(() -> watcher.error.get() != null);
      assertThat(watcher.error.get()).isInstanceOf(RevisionCompactedException.class);
      assertThat(watcher.changes).isEmpty();
    }
  }

  @Test
  void restoreIntoAStoreThatHoldsWritesIsRefusedAndChangesNothing() throws Exception {
    try (StateMachineHarness sm = new StateMachineHarness(dir, 100)) {
      sm.apply(StoreRequest.put(Documents.policy("kept"), null));
      StoreExport other = StoreExport.parse("""
          {"format":1,"revision":9,"policies":[{"name":"x","modelSelector":"m",
           "strategy":"hybrid","revision":9}],"placements":[]}
          """.getBytes(StandardCharsets.UTF_8));

      StoreReply reply = sm.apply(StoreRequest.restore(other.document()));

      assertThat(reply.outcome()).isEqualTo(Outcome.CONFLICT);
      assertThat(reply.revision()).isEqualTo(1);
      assertThat(sm.stateMachine.revision()).isEqualTo(1);
      assertThat(sm.query(StoreRequest.get(DocumentKind.POLICY, "x")).outcome())
          .isEqualTo(Outcome.NOT_FOUND);
    }
  }

  @Test
  void parseNamesWhatIsWrongWithASavedStore() {
    assertInvalid("not json", "not JSON of a saved store");
    assertInvalid("", "not JSON of a saved store");
    assertInvalid("{\"format\":2,\"revision\":1}", "format 2 (expected: 1)");
    assertInvalid("{\"format\":1,\"revision\":-1}", "revision -1");
    assertInvalid("""
        {"format":1,"revision":5,"policies":[{"name":"p","modelSelector":"m",
         "strategy":"fastest","revision":1}]}""", "policy \"p\"", "strategy");
    assertInvalid("""
        {"format":1,"revision":5,"policies":[
         {"name":"p","modelSelector":"m","strategy":"hybrid","revision":1},
         {"name":"p","modelSelector":"m","strategy":"hybrid","revision":2}]}""",
        "policy \"p\" appears twice");
    assertInvalid("""
        {"format":1,"revision":5,"policies":[{"name":"p","modelSelector":"m",
         "strategy":"hybrid","revision":6}]}""", "revision 6 (expected: 1 to the store revision 5)");
  }

  private static void assertInvalid(String json, String... inMessage) {
    assertThatThrownBy(() -> StoreExport.parse(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidExportException.class)
        .message().contains(inMessage);
  }
}
