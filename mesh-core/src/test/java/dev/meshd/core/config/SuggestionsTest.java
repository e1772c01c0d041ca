package dev.meshd.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

  @Test
  void typosAndTranspositionsAreWithinReach() {
    List<String> keys = List.of("grpc", "gossip", "raft", "metrics");

    assertThat(Suggestions.closest("grcp", keys)).contains("grpc");
    assertThat(Suggestions.closest("metric", keys)).contains("metrics");
    assertThat(Suggestions.closest("gosip", keys)).contains("gossip");
    assertThat(Suggestions.closest("telemetry", keys)).isEmpty();
    // Short words are within two edits of too much to guess.
    assertThat(Suggestions.closest("rt", keys)).isEmpty();
  }
}
