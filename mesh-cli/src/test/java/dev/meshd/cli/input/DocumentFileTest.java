package dev.meshd.cli.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import dev.meshd.cli.command.CommandFailure;
import dev.meshd.cli.testing.TestDocuments;
import dev.meshd.proto.v1.Placement;
import dev.meshd.proto.v1.Policy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentFileTest {

  private static final InputStream NO_STDIN = InputStream.nullInputStream();

  @TempDir
  Path dir;

  @Test
  void examplePolicyParses() {
    Policy policy = read(TestDocuments.example("policy-llama.yaml").toString());

    assertThat(policy.getName()).isEqualTo("llama-3.1-8b-hybrid");
    assertThat(policy.getModelSelector()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
    assertThat(policy.getStrategy()).isEqualTo("hybrid");
    assertThat(policy.getWeightsMap()).containsEntry("queue_depth", 0.6)
        .containsEntry("kv_headroom", 0.4);
    assertThat(policy.getAdmission().getMaxQueueDepthPerTarget()).isEqualTo(32);
    assertThat(policy.getAdmission().getMaxInFlightPerTenant()).isEqualTo(64);
    assertThat(policy.getHedging().getEnabled()).isTrue();
    assertThat(policy.getHedging().getDelay())
        .isEqualTo(Duration.newBuilder().setNanos(250_000_000).build());
  }

  @Test
  void examplePipelinePlacementParses() {
    Placement placement = DocumentFile.read(
        TestDocuments.example("placement-llama-pipeline.yaml").toString(), NO_STDIN,
        Placement.newBuilder()).build();

    assertThat(placement.getStagesList())
        .extracting(s -> s.getIndex() + ":" + s.getFirstLayer() + "-" + s.getLastLayer() + "@"
            + s.getNodeId())
        .containsExactly("0:0-15@node1", "1:16-31@node2");
    assertThat(placement.getLinksList()).singleElement()
        .satisfies(link -> assertThat(link.getFromStage() + "->" + link.getToStage())
            .isEqualTo("0->1"));
    assertThat(placement.getReplicasList()).isEmpty();
  }

  @Test
  void exampleReplicaPlacementParses() {
    Placement placement = DocumentFile.read(
        TestDocuments.example("placement-llama-replicas.yaml").toString(), NO_STDIN,
        Placement.newBuilder()).build();

    assertThat(placement.getReplicasList()).extracting(r -> r.getNodeId())
        .containsExactly("node1", "node2", "node3");
    assertThat(placement.getReplicas(2).getGpuIndexesList()).containsExactly(0, 1);
    assertThat(placement.getStagesList()).isEmpty();
  }

  @Test
  void jsonAndSnakeCaseNamesAreAccepted() throws IOException {
    Path file = write("p.json", """
        {"name": "p", "model_selector": "m", "admission": {"max_in_flight_per_tenant": 3}}
        """);

    Policy policy = read(file.toString());

    assertThat(policy.getModelSelector()).isEqualTo("m");
    assertThat(policy.getAdmission().getMaxInFlightPerTenant()).isEqualTo(3);
  }

  @Test
  void jsonWithoutExtensionIsRecognizedByContent() throws IOException {
    Path file = write("policy", "{\"name\": \"p\", \"strategy\": \"hybrid\"}");

    assertThat(read(file.toString()).getStrategy()).isEqualTo("hybrid");
  }

  @Test
  void dashReadsStdin() {
    InputStream stdin =
        new ByteArrayInputStream("name: from-stdin\n".getBytes(StandardCharsets.UTF_8));

    Policy policy = DocumentFile.read("-", stdin, Policy.newBuilder()).build();

    assertThat(policy.getName()).isEqualTo("from-stdin");
  }

  @Test
  void missingFile() {
    String file = dir.resolve("nope.yaml").toString();

    assertFailure(file, file + ": no such file");
  }

  @Test
  void unknownFieldNamesTheFieldAndLine() throws IOException {
    Path file = write("p.yaml", """
        name: p
        admission:
          maxQueueDepthPerTarget: 4
          maxQueue: 5
        """);

    assertFailure(file.toString(), file + ": line 4: admission.maxQueue: "
        + "Cannot find field: maxQueue in message meshd.v1.Admission");
  }

  @Test
  void wrongTypeNamesTheFieldAndLine() throws IOException {
    Path file = write("p.yaml", """
        name: p
        strategy: hybrid
        admission:
          maxInFlightPerTenant: lots
        """);

    assertFailure(file.toString(),
        file + ": line 4: admission.maxInFlightPerTenant: Not an int32 value: \"lots\"");
  }

  @Test
  void wrongTypeInsideAListNamesTheElement() throws IOException {
    Path file = write("pl.json", """
        {
          "name": "pl",
          "stages": [
            {"index": 0, "nodeId": "node1"},
            {"index": -1, "nodeId": "node2"}
          ]
        }
        """);

    assertThatThrownBy(() -> DocumentFile.read(file.toString(), NO_STDIN, Placement.newBuilder()))
        .isInstanceOf(CommandFailure.class)
        .hasMessage(file + ": line 5: stages[1].index: Out of range uint32 value: -1");
  }

  @Test
  void badDurationAndBadMapValue() throws IOException {
    Path duration = write("d.yaml", "hedging:\n  enabled: true\n  delay: 250ms\n");
    Path weight = write("w.yaml", "weights:\n  queue_depth: high\n");

    assertFailure(duration.toString(),
        duration + ": line 3: hedging.delay: Failed to parse duration: \"250ms\" "
            + "(expected: seconds with an s suffix, e.g. \"0.250s\")");
    assertFailure(weight.toString(),
        weight + ": line 2: weights.queue_depth: Not a double value: \"high\"");
  }

  @Test
  void yamlSyntaxErrorNamesTheLine() throws IOException {
    Path file = write("bad.yaml", "name: p\nstrategy: [hybrid\nweights: {}\n");

    assertThatThrownBy(() -> read(file.toString()))
        .isInstanceOf(CommandFailure.class)
        .hasMessageStartingWith(file + ": line 3: ")
        .hasMessageNotContaining("\n")
        .satisfies(e -> assertThat(((CommandFailure) e).exitCode()).isEqualTo(2));
  }

  @Test
  void jsonSyntaxErrorNamesTheLine() throws IOException {
    Path file = write("bad.json", "{\n  \"name\": \"p\",\n  \"strategy\" \"hybrid\"\n}\n");

    assertThatThrownBy(() -> read(file.toString()))
        .isInstanceOf(CommandFailure.class)
        .hasMessageStartingWith(file + ": line 3: ");
  }

  @Test
  void duplicateKeyIsAnError() throws IOException {
    Path file = write("dup.yaml", "name: a\nstrategy: hybrid\nname: b\n");

    assertThatThrownBy(() -> read(file.toString()))
        .isInstanceOf(CommandFailure.class)
        .hasMessageStartingWith(file + ": line 3: ")
        .hasMessageContaining("name");
  }

  @Test
  void notAMapping() throws IOException {
    Path text = write("notes.txt", "just some words\n");
    Path list = write("list.yaml", "- name: a\n- name: b\n");

    assertFailure(text.toString(),
        text + ": line 1: a string (expected: a mapping of Policy fields)");
    assertFailure(list.toString(),
        list + ": line 1: a list (expected: a mapping of Policy fields)");
  }

  @Test
  void twoDocumentsAreRefused() throws IOException {
    Path file = write("two.yaml", "name: a\n---\nname: b\n");

    assertFailure(file.toString(),
        file + ": line 3: a second document (expected: one document per file)");
  }

  @Test
  void emptyAndBinaryFiles() throws IOException {
    Path empty = write("empty.yaml", "");
    Path binary = dir.resolve("blob.bin");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});

    assertFailure(empty.toString(), empty + ": empty (expected: one document)");
    assertFailure(binary.toString(), binary + ": not UTF-8 text (expected: YAML or JSON)");
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static Policy read(String file) {
    return DocumentFile.read(file, NO_STDIN, Policy.newBuilder()).build();
  }

  private static void assertFailure(String file, String message) {
    assertThatThrownBy(() -> read(file))
        .isInstanceOf(CommandFailure.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((CommandFailure) e).exitCode()).isEqualTo(2));
  }
}
