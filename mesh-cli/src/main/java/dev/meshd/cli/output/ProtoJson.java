package dev.meshd.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.util.List;

/**
 * Protobuf messages as the JSON documents that {@code -o json} promises (DESIGN, "Contract
 * details"): the protobuf JSON mapping with fields without presence always printed,
 * lowerCamelCase names, int64 as strings, full enum names. Map keys are sorted so that the same
 * node prints the same way every time. The messages go through a Jackson tree so that lists become
 * one array and YAML is the very same document. Thread-safe.
 */
public final class ProtoJson {

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().alwaysPrintFieldsWithNoPresence().sortingMapKeys()
          .omittingInsignificantWhitespace();

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ProtoJson() {}

  /** One message as a JSON tree. */
  public static JsonNode tree(MessageOrBuilder message) {
    try {
      return MAPPER.readTree(PRINTER.print(message));
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      // Only an Any with an unregistered type fails to print, and meshd.v1 has none.
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }

  /** Several messages as one JSON array, in the given order. */
  public static ArrayNode array(List<? extends MessageOrBuilder> messages) {
    ArrayNode array = MAPPER.createArrayNode();
    messages.forEach(message -> array.add(tree(message)));
    return array;
  }
}
