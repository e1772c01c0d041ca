package dev.meshd.cli.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.meshd.cli.command.CommandFailure;
import dev.meshd.cli.input.SourceDocument.Syntax;
import dev.meshd.cli.input.SourceDocument.SyntaxError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Reads the document of {@code -f FILE} ({@code -} for stdin) into a protobuf message. The file
 * is YAML or JSON; either way it is turned into JSON and parsed with the protobuf JSON mapping,
 * so the field names are the ones {@code -o json} prints (lowerCamelCase), and the original
 * snake_case names are accepted too. Unknown fields and values of the wrong type are errors.
 *
 * <p>Every failure is a {@link CommandFailure} with exit code 2 and one line that names the file
 * and, when known, the line and the field: {@code policy.yaml: line 7:
 * admission.maxQueueDepthPerTarget: Not an int32 value: "lots"}. Stateless.
 */
public final class DocumentFile {

  /** The {@code -f} value that means stdin. */
  public static final String STDIN = "-";

  private static final JsonFormat.Parser PARSER = JsonFormat.parser();

  private DocumentFile() {}

  /**
   * Merges the document in {@code file} into {@code builder} and returns it.
   *
   * @param file a path, or {@link #STDIN}
   * @param stdin read when {@code file} is {@link #STDIN}
   * @throws CommandFailure (exit 2) when the file cannot be read or is not a valid document
   */
  public static <B extends Message.Builder> B read(String file, InputStream stdin, B builder) {
    String label = file.equals(STDIN) ? "<stdin>" : file;
    String text = text(file, label, stdin);
    SourceDocument document;
    try {
      document = SourceDocument.parse(text, Syntax.of(file, text));
    } catch (SyntaxError e) {
      throw failure(label, e.line(), oneLine(e.getMessage()));
    }
    if (!(document.tree() instanceof ObjectNode object)) {
      throw failure(label, document.line(""),
          kind(document.tree()) + " (expected: a mapping of "
              + builder.getDescriptorForType().getName() + " fields)");
    }
    try {
      PARSER.merge(object.toString(), builder);
      return builder;
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // RuntimeException too: the protobuf parser throws unchecked ones for some bad values.
      throw FieldLocator.locate(builder.getDescriptorForType(), object)
          .map(problem -> failure(label, document.line(problem.pointer()),
              problem.path() + ": " + oneLine(problem.message()) + hint(problem.message())))
          .orElseGet(() -> failure(label, OptionalInt.empty(),
              oneLine(String.valueOf(e.getMessage()))));
    }
  }

  private static String text(String file, String label, InputStream stdin) {
    byte[] bytes;
    try {
      bytes = file.equals(STDIN) ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw failure(label, OptionalInt.empty(), "no such file");
    } catch (AccessDeniedException e) {
      throw failure(label, OptionalInt.empty(), "permission denied");
    } catch (IOException e) {
      throw failure(label, OptionalInt.empty(), "cannot read: " + oneLine(e.getMessage()));
    } catch (InvalidPathException e) {
      throw failure(label, OptionalInt.empty(), "not a valid path");
    }
    try {
      // Strict decoding: a binary file gets a clear verdict instead of parser noise.
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw failure(label, OptionalInt.empty(), "not UTF-8 text (expected: YAML or JSON)");
    }
  }

  /**
   * What the protobuf JSON mapping expects where its message does not say, for the mistakes
   * people make by habit: a duration written as {@code 250ms} or {@code 1m}.
   */
  private static String hint(String message) {
    return message != null && message.startsWith("Failed to parse duration")
        ? " (expected: seconds with an s suffix, e.g. \"0.250s\")"
        : "";
  }

  /** What the document is instead of a mapping, in the words of YAML users. */
  private static String kind(JsonNode tree) {
    return switch (tree.getNodeType()) {
      case ARRAY -> "a list";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> "a " + tree.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }

  private static CommandFailure failure(String label, OptionalInt line, String message) {
    String where = line.isPresent() ? label + ": line " + line.getAsInt() : label;
    return CommandFailure.invalidInput(where + ": " + message);
  }

  private static String oneLine(String text) {
    return text == null ? "invalid" : text.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
