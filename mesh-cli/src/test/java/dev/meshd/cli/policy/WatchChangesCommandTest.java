package dev.meshd.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestDocuments;
import dev.meshd.proto.v1.ChangeType;
import dev.meshd.proto.v1.ListPoliciesRequest;
import dev.meshd.proto.v1.Policy;
import dev.meshd.proto.v1.StoreChange;
import dev.meshd.proto.v1.WatchRequest;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WatchChangesCommandTest {

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    agent.policies().revision(20).watch(threeChanges(), Status.OK);
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void withoutFromRevisionListsFirstAndWatchesFromTheListsRevision() {
    Result result = cli.run("policy", "watch");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo(
        """
        REVISION     TYPE     KIND        NAME
        21           PUT      policy      llama-hybrid
        22           PUT      placement   llama-pipeline
        23           DELETE   policy      default
        """);
    assertThat(agent.policies().requests())
        .extracting(request -> request.getClass().getSimpleName())
        .containsExactly("ListPoliciesRequest", "WatchRequest");
    assertThat(agent.policies().requests(ListPoliciesRequest.class).getFirst().getSerializable())
        .as("a linearizable list, so the watch misses nothing acknowledged").isFalse();
    assertThat(agent.policies().requests(WatchRequest.class).getFirst().getFromRevision())
        .isEqualTo(20);
  }

  @Test
  void fromRevisionIsSentAsGivenWithoutListing() {
    cli.run("policy", "watch", "--from-revision", "5");
    cli.run("policy", "watch", "--from-revision", "0");

    assertThat(agent.policies().requests(ListPoliciesRequest.class)).isEmpty();
    assertThat(agent.policies().requests(WatchRequest.class))
        .extracting(WatchRequest::getFromRevision).containsExactly(5L, 0L);
  }

  @Test
  void jsonIsOneLinePerChange() throws Exception {
    Result result = cli.run("policy", "watch", "-o", "json");

    assertThat(result.exitCode()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(3);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    assertThat(first.get("revision").asText()).isEqualTo("21");
    assertThat(first.get("type").asText()).isEqualTo("CHANGE_TYPE_PUT");
    assertThat(first.get("policy").get("strategy").asText()).isEqualTo("hybrid");
    assertThat(json.readTree(lines.get(1)).get("placement").get("name").asText())
        .isEqualTo("llama-pipeline");
    assertThat(json.readTree(lines.get(2)).get("type").asText()).isEqualTo("CHANGE_TYPE_DELETE");
  }

  @Test
  void yamlIsOneDocumentPerChange() throws Exception {
    Result result = cli.run("policy", "watch", "-o", "yaml");

    List<JsonNode> documents = new ArrayList<>();
    YAMLMapper yaml = new YAMLMapper();
    try (JsonParser parser = yaml.createParser(result.out())) {
      while (parser.nextToken() != null) {
        documents.add(yaml.readTree(parser));
      }
    }
    assertThat(documents).extracting(d -> d.get("revision").asText())
        .containsExactly("21", "22", "23");
  }

  @Test
  void historyTooOldExitsOneAndSaysToRelist() {
    agent.policies().watch(List.of(), Status.OUT_OF_RANGE.withDescription(
        "revision 3 is compacted; oldest kept is 10"));

    Result result = cli.run("policy", "watch", "--from-revision", "3");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("out of range: revision 3 is older than the history the "
        + "agents keep; list again and watch without --from-revision\n");
  }

  @Test
  void streamFailureMidwayKeepsWhatWasPrintedAndExitsOne() {
    agent.policies().watch(threeChanges().subList(0, 1),
        Status.UNAVAILABLE.withDescription("leader lost"));

    Result result = cli.run("policy", "watch");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("llama-hybrid");
    assertThat(result.err()).isEqualTo("unavailable: leader lost\n");
  }

  @Test
  void negativeFromRevisionIsAUsageError() {
    Result result = cli.run("policy", "watch", "--from-revision", "-2");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(agent.policies().requests()).isEmpty();
  }

  private static List<StoreChange> threeChanges() {
    return List.of(
        StoreChange.newBuilder().setRevision(21).setType(ChangeType.CHANGE_TYPE_PUT)
            .setPolicy(TestDocuments.llamaPolicy().toBuilder().setRevision(21)).build(),
        StoreChange.newBuilder().setRevision(22).setType(ChangeType.CHANGE_TYPE_PUT)
            .setPlacement(TestDocuments.pipeline().toBuilder().setRevision(22)).build(),
        StoreChange.newBuilder().setRevision(23).setType(ChangeType.CHANGE_TYPE_DELETE)
            .setPolicy(Policy.newBuilder().setName("default")).build());
  }
}
