package dev.meshd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeDrainValidatorTest {

  private static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");

  private static List<String> errors(NodeDrain drain) {
    return NodeDrainValidator.validate(drain).stream().map(FieldError::toString).toList();
  }

  @Test
  void acceptsANodeIdWithOrWithoutAReason() {
    assertThat(NodeDrainValidator.validate(NodeDrain.of("node2", "kernel upgrade", AT))).isEmpty();
    assertThat(NodeDrainValidator.validate(NodeDrain.of("gpu-07.rack3", null, AT))).isEmpty();
    assertThat(NodeDrain.of("n", null, AT).reason()).isEmpty();
  }

  @Test
  void namesTheFieldAndWhatWasExpected() {
    assertThat(errors(NodeDrain.of("", "", AT)))
        .containsExactly("nodeId: empty (expected: a name such as llama-8b)");
    assertThat(errors(NodeDrain.of("node 2", "", AT))).singleElement().asString()
        .startsWith("nodeId: \"node 2\" (expected: letters, digits");
    assertThat(errors(NodeDrain.of("n", "x".repeat(257), AT)))
        .containsExactly("reason: 257 characters (expected: at most 256)");
    assertThat(errors(NodeDrain.of("n", "two\nlines", AT))).singleElement().asString()
        .startsWith("reason: contains a control character");
    assertThat(errors(NodeDrain.of("n", "", null)))
        .containsExactly("requestedAt: absent (expected: when the drain was asked for)");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThat(NodeDrainValidator.validate(new NodeDrain("-x", "y".repeat(300), null, 0)))
        .extracting(FieldError::field).containsExactly("nodeId", "reason", "requestedAt");
  }
}
