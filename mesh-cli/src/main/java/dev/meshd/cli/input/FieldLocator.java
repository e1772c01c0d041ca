package dev.meshd.cli.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Finds which field of a document the protobuf JSON parser refuses. Its messages name an unknown
 * field but not a value of the wrong type ({@code Not an int32 value: "abc"}), and never a
 * line, so this parses one field at a time, descending into the one that fails, until it reaches
 * the smallest part that still fails. The parser stays the only judge of what is valid; this
 * only says where. Stateless.
 */
final class FieldLocator {

  /**
   * The innermost failing field.
   *
   * @param pointer where it is, as a JSON pointer into the document ({@code /stages/0/index})
   * @param path the same for people ({@code stages[0].index})
   * @param message what the protobuf parser said about it
   */
  record Problem(String pointer, String path, String message) {}

  private static final JsonFormat.Parser PARSER = JsonFormat.parser();

  private FieldLocator() {}

  /** The first field of {@code document} that fails alone, at its deepest failing part. */
  static Optional<Problem> locate(Descriptor type, ObjectNode document) {
    return locate(type, document, "", "");
  }

  private static Optional<Problem> locate(
      Descriptor type, ObjectNode object, String pointer, String path) {
    for (Map.Entry<String, JsonNode> entry : object.properties()) {
      String key = entry.getKey();
      Optional<String> error = error(type, key, entry.getValue());
      if (error.isPresent()) {
        String fieldPointer = pointer + "/" + escape(key);
        String fieldPath = path.isEmpty() ? key : path + "." + key;
        return Optional.of(
            inside(type, key, entry.getValue(), fieldPointer, fieldPath)
                .orElse(new Problem(fieldPointer, fieldPath, error.get())));
      }
    }
    return Optional.empty();
  }

  /** A deeper failing part of field {@code key}, when its value has parts. */
  private static Optional<Problem> inside(
      Descriptor type, String key, JsonNode value, String pointer, String path) {
    FieldDescriptor field = field(type, key);
    if (field == null) {
      return Optional.empty();
    }
    if (field.isMapField() && value.isObject()) {
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        ObjectNode single = JsonNodeFactory.instance.objectNode().set(entry.getKey(),
            entry.getValue());
        Optional<String> error = error(type, key, single);
        if (error.isPresent()) {
          return Optional.of(new Problem(pointer + "/" + escape(entry.getKey()),
              path + "." + entry.getKey(), error.get()));
        }
      }
      return Optional.empty();
    }
    if (field.isRepeated() && value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        JsonNode element = value.get(i);
        Optional<String> error =
            error(type, key, JsonNodeFactory.instance.arrayNode().add(element));
        if (error.isPresent()) {
          String elementPointer = pointer + "/" + i;
          String elementPath = path + "[" + i + "]";
          return Optional.of(
              nested(field, element, elementPointer, elementPath)
                  .orElse(new Problem(elementPointer, elementPath, error.get())));
        }
      }
      return Optional.empty();
    }
    return field.isRepeated() ? Optional.empty() : nested(field, value, pointer, path);
  }

  private static Optional<Problem> nested(
      FieldDescriptor field, JsonNode value, String pointer, String path) {
    // Well-known types (Duration, Timestamp) are written as strings: nothing inside to descend.
    boolean message = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && !field.getMessageType().getFile().getPackage().equals("google.protobuf");
    return message && value instanceof ObjectNode object
        ? locate(field.getMessageType(), object, pointer, path)
        : Optional.empty();
  }

  /** What the parser says about a document holding only {@code key: value}, if it fails. */
  private static Optional<String> error(Descriptor type, String key, JsonNode value) {
    ObjectNode single = JsonNodeFactory.instance.objectNode().set(key, value);
    try {
      PARSER.merge(single.toString(), DynamicMessage.newBuilder(type));
      return Optional.empty();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // The parser also throws unchecked exceptions for some malformed values.
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  /** The field a JSON key names: its lowerCamelCase JSON name or its original proto name. */
  private static FieldDescriptor field(Descriptor type, String key) {
    FieldDescriptor byProtoName = type.findFieldByName(key);
    if (byProtoName != null) {
      return byProtoName;
    }
    return type.getFields().stream()
        .filter(candidate -> candidate.getJsonName().equals(key))
        .findFirst()
        .orElse(null);
  }

  // JSON pointer escaping (RFC 6901), as Jackson writes the pointers it reports.
  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
