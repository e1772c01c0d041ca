package dev.meshd.fakeruntime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CompletionRequestTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static CompletionRequest chat(String body) throws BadRequestException {
    return CompletionRequest.parse(CompletionRequest.Kind.CHAT,
        body.getBytes(StandardCharsets.UTF_8), JSON, 4096);
  }

  @Test
  void readsTheFieldsTheFakeActsOn() throws Exception {
    CompletionRequest r = chat("{\"model\":\"m\",\"messages\":[{\"role\":\"system\","
        + "\"content\":\"be brief\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"hello there you\"}]}],\"max_completion_tokens\":7,\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true},\"temperature\":0.2}");

    assertThat(r).isEqualTo(new CompletionRequest(CompletionRequest.Kind.CHAT, "m", 5, 7,
        true, true));
  }

  @Test
  void defaultsToSixteenTokensWithoutStreaming() throws Exception {
    CompletionRequest r = CompletionRequest.parse(CompletionRequest.Kind.TEXT,
        "{\"model\":\"m\",\"prompt\":[\"a b\",\"c\"]}".getBytes(StandardCharsets.UTF_8),
        JSON, 4096);

    assertThat(r.maxTokens()).isEqualTo(CompletionRequest.DEFAULT_MAX_TOKENS);
    assertThat(r.promptTokens()).isEqualTo(3);
    assertThat(r.stream()).isFalse();
  }

  @Test
  void namesTheFieldThatIsWrong() {
    assertThatThrownBy(() -> chat("[1]")).hasMessage("the body must be a JSON object");
    assertThatThrownBy(() -> chat("{\"messages\":[{\"content\":\"x\"}]}"))
        .hasMessage("model: missing or not a string");
    assertThatThrownBy(() -> chat("{\"model\":\"m\",\"messages\":[]}"))
        .hasMessage("messages: missing or not a non-empty array");
    assertThatThrownBy(() -> chat("{\"model\":\"m\",\"messages\":[{\"content\":\"x\"}],"
        + "\"max_tokens\":0}")).hasMessage("max_tokens: 0 (expected: an integer 1..4096)");
    assertThatThrownBy(() -> chat("{\"model\":\"m\",\"messages\":[{\"content\":\"x\"}],"
        + "\"max_tokens\":2.5}")).hasMessageStartingWith("max_tokens: 2.5");
    assertThatThrownBy(() -> chat("{\"model\":\"m\",\"messages\":[{\"content\":\"x\"}],"
        + "\"stream\":\"yes\"}")).hasMessage("stream: \"yes\" (expected: true or false)");
    assertThatThrownBy(() -> chat("{\"model\":\"m\",")).hasMessageStartingWith(
        "malformed JSON at line 1, column");
  }
}
