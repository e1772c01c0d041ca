package dev.meshd.router.ingress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Error bodies in the shape OpenAI clients parse: {@code {"error": {message, type, code}}}. */
final class OpenAiErrors {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenAiErrors() {}

  static byte[] body(String message, String type, String code) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    return (root.toString() + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
