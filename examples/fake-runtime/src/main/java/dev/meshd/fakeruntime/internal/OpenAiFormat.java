package dev.meshd.fakeruntime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The OpenAI wire objects the fake writes: completion chunks, whole completions, model lists and
 * errors, shaped like OpenAI's and vLLM's. Stateless apart from the shared mapper.
 */
public final class OpenAiFormat {

  private static final String[] WORDS = {
      "the", "mesh", "routes", "each", "request", "to", "a", "quiet", "replica", "while",
      "tokens", "stream", "back", "in", "order", "today"};

  private final ObjectMapper json;

  public OpenAiFormat(ObjectMapper json) {
    this.json = json;
  }

  /** Token {@code i} of every answer: the same words in the same order, so tests can check. */
  public static String token(int i) {
    String word = WORDS[i % WORDS.length];
    return i == 0 ? word : " " + word;
  }

  /** The whole text of an answer of {@code n} tokens. */
  public static String text(int n) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      text.append(token(i));
    }
    return text.toString();
  }

  /**
   * One streamed chunk. {@code content} null with a {@code finishReason}: the closing chunk;
   * {@code first}: the chat chunk also carries {@code role: assistant}, as OpenAI's first does.
   */
  public byte[] chunk(CompletionRequest request, String id, long created, String content,
      boolean first, String finishReason) {
    ObjectNode root = header(request, id, created, true);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    if (request.kind() == CompletionRequest.Kind.CHAT) {
      ObjectNode delta = choice.putObject("delta");
      if (first) {
        delta.put("role", "assistant");
      }
      if (content != null) {
        delta.put("content", content);
      }
    } else {
      choice.put("text", content == null ? "" : content);
      choice.putNull("logprobs");
    }
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return sse(root);
  }

  /** The usage chunk of {@code stream_options.include_usage}: no choices. */
  public byte[] usageChunk(CompletionRequest request, String id, long created, int completion) {
    ObjectNode root = header(request, id, created, true);
    root.putArray("choices");
    usage(root, request.promptTokens(), completion);
    return sse(root);
  }

  /** A whole {@code chat.completion} or {@code text_completion} object. */
  public byte[] completion(CompletionRequest request, String id, long created, int tokens) {
    ObjectNode root = header(request, id, created, false);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    if (request.kind() == CompletionRequest.Kind.CHAT) {
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      message.put("content", text(tokens));
    } else {
      choice.put("text", text(tokens));
      choice.putNull("logprobs");
    }
    choice.put("finish_reason", "length");
    usage(root, request.promptTokens(), tokens);
    return bytes(root);
  }

  /** {@code GET /v1/models}. */
  public byte[] models(List<String> models, long created) {
    ObjectNode root = json.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (String model : models) {
      ObjectNode entry = data.addObject();
      entry.put("id", model);
      entry.put("object", "model");
      entry.put("created", created);
      entry.put("owned_by", "meshd-fake");
    }
    return bytes(root);
  }

  /** OpenAI's error object: {@code {"error":{"message","type","param","code"}}}. */
  public byte[] error(String message, String type, String param, String code) {
    ObjectNode root = json.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    return bytes(root);
  }

  public static byte[] done() {
    return "data: [DONE]\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private ObjectNode header(CompletionRequest request, String id, long created, boolean chunk) {
    ObjectNode root = json.createObjectNode();
    root.put("id", id);
    boolean chat = request.kind() == CompletionRequest.Kind.CHAT;
    root.put("object", chat ? (chunk ? "chat.completion.chunk" : "chat.completion")
        : "text_completion");
    root.put("created", created);
    root.put("model", request.model());
    return root;
  }

  private static void usage(ObjectNode root, int prompt, int completion) {
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", completion);
    usage.put("total_tokens", prompt + completion);
  }

  private byte[] sse(ObjectNode root) {
    byte[] body = bytes(root);
    byte[] out = new byte[body.length + 8];
    System.arraycopy("data: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, out, 0, 6);
    System.arraycopy(body, 0, out, 6, body.length);
    out[out.length - 2] = '\n';
    out[out.length - 1] = '\n';
    return out;
  }

  private byte[] bytes(ObjectNode root) {
    try {
      return json.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }
}
