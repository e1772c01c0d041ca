package dev.meshd.fakeruntime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The part of an OpenAI completion request the fake acts on. Immutable.
 *
 * @param kind chat ({@code /v1/chat/completions}) or text ({@code /v1/completions})
 * @param model the requested model
 * @param promptTokens words in the prompt or messages: the fake's stand-in for a tokenizer
 * @param maxTokens tokens to generate (the fake always generates exactly this many)
 * @param stream whether to answer with server-sent events
 * @param includeUsage {@code stream_options.include_usage}: a usage chunk before {@code [DONE]}
 */
public record CompletionRequest(Kind kind, String model, int promptTokens, int maxTokens,
    boolean stream, boolean includeUsage) {

  /** Which endpoint was called. */
  public enum Kind { CHAT, TEXT }

  /** Tokens generated when the request names no {@code max_tokens}. */
  public static final int DEFAULT_MAX_TOKENS = 16;

  /**
   * Parses a request body.
   *
   * @throws BadRequestException when the body is not JSON, not an object, or a field has the
   *     wrong type or range; the message names the field
   */
  public static CompletionRequest parse(Kind kind, byte[] body, ObjectMapper json, int maxCap)
      throws BadRequestException {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr();
      throw new BadRequestException("malformed JSON" + where + ": " + e.getOriginalMessage(),
          null);
    } catch (java.io.IOException e) {
      throw new BadRequestException("unreadable body: " + e.getMessage(), null);
    }
    if (root == null || !root.isObject()) {
      throw new BadRequestException("the body must be a JSON object", null);
    }
    JsonNode model = root.get("model");
    if (model == null || !model.isTextual() || model.asText().isBlank()) {
      throw new BadRequestException("model: missing or not a string", "model");
    }
    int prompt = kind == Kind.CHAT ? messageWords(root.get("messages")) : promptWords(
        root.get("prompt"));
    int maxTokens = maxTokens(root, maxCap);
    boolean stream = bool(root, "stream");
    JsonNode options = root.get("stream_options");
    boolean includeUsage = options != null && options.isObject()
        && options.path("include_usage").asBoolean(false);
    return new CompletionRequest(kind, model.asText(), prompt, maxTokens, stream, includeUsage);
  }

  private static int messageWords(JsonNode messages) throws BadRequestException {
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new BadRequestException("messages: missing or not a non-empty array", "messages");
    }
    int words = 0;
    for (JsonNode message : messages) {
      if (!message.isObject()) {
        throw new BadRequestException("messages: each entry must be an object", "messages");
      }
      JsonNode content = message.get("content");
      if (content == null || content.isNull()) {
        continue;
      }
      if (content.isTextual()) {
        words += words(content.asText());
      } else if (content.isArray()) {
        for (JsonNode part : content) {
          words += words(part.path("text").asText(""));
        }
      } else {
        throw new BadRequestException(
            "messages[].content: expected a string or an array of parts", "messages");
      }
    }
    return Math.max(1, words);
  }

  private static int promptWords(JsonNode prompt) throws BadRequestException {
    if (prompt == null) {
      throw new BadRequestException("prompt: missing", "prompt");
    }
    if (prompt.isTextual()) {
      return Math.max(1, words(prompt.asText()));
    }
    if (prompt.isArray()) {
      int words = 0;
      for (JsonNode p : prompt) {
        if (!p.isTextual()) {
          throw new BadRequestException("prompt: expected a string or an array of strings",
              "prompt");
        }
        words += words(p.asText());
      }
      return Math.max(1, words);
    }
    throw new BadRequestException("prompt: expected a string or an array of strings", "prompt");
  }

  private static int maxTokens(JsonNode root, int cap) throws BadRequestException {
    String field = root.hasNonNull("max_tokens") ? "max_tokens"
        : root.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : null;
    if (field == null) {
      return DEFAULT_MAX_TOKENS;
    }
    JsonNode value = root.get(field);
    if (!value.canConvertToInt() || !value.isIntegralNumber()
        || value.asInt() < 1 || value.asInt() > cap) {
      throw new BadRequestException(
          field + ": " + value + " (expected: an integer 1.." + cap + ")", field);
    }
    return value.asInt();
  }

  private static boolean bool(JsonNode root, String field) throws BadRequestException {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new BadRequestException(field + ": " + value + " (expected: true or false)", field);
    }
    return value.asBoolean();
  }

  private static int words(String text) {
    String trimmed = text.strip();
    return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
  }
}
