package dev.meshd.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.policy.StoreChange;
import dev.meshd.raft.internal.SnapshotDocument;
import dev.meshd.raft.internal.StoreCodec;
import dev.meshd.raft.internal.StoreRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreCodecTest {

  @Test
  void requestsRoundTripWithEveryField() {
    StoreRequest placement = StoreRequest.put(Documents.placement("pl").withRevision(3), 3L);
    StoreRequest policy = StoreRequest.put(Documents.policy("p"), null);

    assertThat(StoreCodec.decode(StoreCodec.encode(placement), StoreRequest.class))
        .isEqualTo(placement);
    assertThat(StoreCodec.decode(StoreCodec.encode(policy), StoreRequest.class))
        .isEqualTo(policy);
  }

  @Test
  void jsonIsReadableAndCarriesOnlyComponents() {
    String json = new String(
        StoreCodec.encode(StoreRequest.put(Documents.placement("pl"), null)),
        StandardCharsets.UTF_8);

    assertThat(json).contains("\"negotiatedAt\":\"2026-11-22T08:00:00Z\"")
        .doesNotContain("pipelined").doesNotContain("expectedRevision");
    assertThat(new String(StoreCodec.encode(Documents.policy("p")), StandardCharsets.UTF_8))
        .contains("\"delay\":\"PT0.15S\"").doesNotContain("unlimited");
  }

  @Test
  void unknownFieldsFromANewerVersionAreIgnored() {
    String json = "{\"op\":\"DELETE\",\"kind\":\"POLICY\",\"name\":\"x\",\"futureField\":1}";

    StoreRequest request = StoreCodec.decode(json.getBytes(StandardCharsets.UTF_8),
        StoreRequest.class);

    assertThat(request).isEqualTo(StoreRequest.delete(
        dev.meshd.core.policy.DocumentKind.POLICY, "x", null));
  }

  @Test
  void snapshotDocumentsRoundTrip() {
    SnapshotDocument doc = new SnapshotDocument(SnapshotDocument.FORMAT, 2,
        List.of(Documents.policy("p").withRevision(1)),
        List.of(Documents.placement("pl").withRevision(2)),
        List.of(StoreChange.put(Documents.policy("p").withRevision(1)),
            StoreChange.put(Documents.placement("pl").withRevision(2))));

    assertThat(StoreCodec.decode(StoreCodec.encode(doc), SnapshotDocument.class)).isEqualTo(doc);
  }
}
