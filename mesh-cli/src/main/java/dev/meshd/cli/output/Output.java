package dev.meshd.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.MessageOrBuilder;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes a command's result to stdout in the format chosen with {@code -o}. Table text is made
 * by the verb (only it knows its columns); JSON and YAML are made here, the same way for every
 * verb. Single results and lists are pretty-printed documents; the items of a {@code --watch}
 * stream are JSON Lines (one compact document per line) or YAML documents separated by
 * {@code ---}, so a reader can process each as it arrives. Used from one thread.
 */
public final class Output {

  private static final ObjectWriter JSON_PRETTY =
      new ObjectMapper()
          .writer(
              new DefaultPrettyPrinter()
                  // The protobuf printer's style: "name": value, not Jackson's "name" : value.
                  .withSeparators(
                      Separators.createDefaultInstance()
                          .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                          .withObjectEmptySeparator("")
                          .withArrayEmptySeparator(""))
                  .withArrayIndenter(new DefaultIndenter("  ", "\n"))
                  .withObjectIndenter(new DefaultIndenter("  ", "\n")));

  private static final ObjectWriter JSON_LINE = new ObjectMapper().writer();

  private static final ObjectWriter YAML =
      new YAMLMapper(
              YAMLFactory.builder()
                  // Written by streamItem only, so that a single document starts bare.
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .build())
          .writer();

  private final OutputFormat format;
  private final PrintStream out;

  public Output(OutputFormat format, PrintStream out) {
    this.format = Objects.requireNonNull(format, "format");
    this.out = Objects.requireNonNull(out, "out");
  }

  public OutputFormat format() {
    return format;
  }

  /** Prints one message: {@code table} as text, otherwise as a document. */
  public void message(MessageOrBuilder message, Supplier<String> table) {
    result(() -> ProtoJson.tree(message), table);
  }

  /**
   * Prints a document that is not a protobuf message (for example what a verb did locally, such
   * as the file a snapshot was saved to), or text for {@code table}.
   */
  public void document(JsonNode document, Supplier<String> table) {
    result(() -> document, table);
  }

  /** Prints a list as one JSON array (or YAML sequence), or as text for {@code table}. */
  public void list(List<? extends MessageOrBuilder> messages, Supplier<String> table) {
    result(() -> ProtoJson.array(messages), table);
  }

  /**
   * Whether whoever reads stdout has gone away (for example {@code | head -1} exited), so that
   * a watch can stop instead of following the stream for nobody.
   */
  public boolean readerGone() {
    return out.checkError();
  }

  /** Prints text as it is; for table output and its redraws. */
  public void text(String text) {
    out.print(text);
    out.flush();
  }

  /**
   * Prints one item of a stream: a single JSON line, or a YAML document that starts with
   * {@code ---}. Flushed at once, since a reader may be waiting on it.
   */
  public void streamItem(JsonNode document) {
    switch (format) {
      case JSON -> out.println(write(JSON_LINE, document));
      case YAML -> out.print("---\n" + write(YAML, document));
      case TABLE -> throw new IllegalStateException("table output has no stream items");
    }
    out.flush();
  }

  private void result(Supplier<JsonNode> document, Supplier<String> table) {
    switch (format) {
      case TABLE -> out.print(table.get());
      case JSON -> out.println(write(JSON_PRETTY, document.get()));
      case YAML -> out.print(write(YAML, document.get()));
    }
    out.flush();
  }

  private static String write(ObjectWriter writer, JsonNode document) {
    try {
      return writer.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      // A tree that Jackson itself built always serializes; this is not an input error.
      throw new UncheckedIOException(e);
    }
  }
}
