package dev.meshd.cli.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A multi-line, kubectl-describe style text: {@code Key:} fields whose values line up in one
 * column, and free blocks (such as an indented table of GPUs) between them. A field with several
 * values puts each on its own line under the first. Empty values print as {@code -}, so a
 * reader can tell "empty" from "missing line". Not thread-safe; used by one command.
 */
public final class Description {

  private sealed interface Entry permits Field, Block {}

  private record Field(String key, List<String> values) implements Entry {}

  private record Block(String text) implements Entry {}

  private final List<Entry> entries = new ArrayList<>();

  /** Adds {@code key: value}. */
  public Description field(String key, String value) {
    return field(key, List.of(Objects.requireNonNull(value, "value")));
  }

  /** Adds {@code key:} with each value on its own line; {@code -} when there is none. */
  public Description field(String key, List<String> values) {
    Objects.requireNonNull(key, "key");
    entries.add(new Field(key, List.copyOf(values)));
    return this;
  }

  /** Adds text as it is, which must end in a newline when not empty. */
  public Description block(String text) {
    entries.add(new Block(Objects.requireNonNull(text, "text")));
    return this;
  }

  /** The fields and blocks in the order they were added. */
  public String render() {
    int keyWidth =
        entries.stream()
            .filter(Field.class::isInstance)
            .mapToInt(entry -> ((Field) entry).key().length() + 1)
            .max()
            .orElse(0);
    String continuation = " ".repeat(keyWidth + 2);
    StringBuilder text = new StringBuilder();
    for (Entry entry : entries) {
      switch (entry) {
        case Block block -> text.append(block.text());
        case Field field -> appendField(text, field, keyWidth, continuation);
      }
    }
    return text.toString();
  }

  private static void appendField(
      StringBuilder text, Field field, int keyWidth, String continuation) {
    List<String> values = field.values().isEmpty() ? List.of("-") : field.values();
    String label = field.key() + ":";
    text.append(label).append(" ".repeat(keyWidth - label.length() + 2))
        .append(orDash(values.getFirst())).append('\n');
    for (String value : values.subList(1, values.size())) {
      text.append(continuation).append(orDash(value)).append('\n');
    }
  }

  private static String orDash(String value) {
    return value.isEmpty() ? "-" : value;
  }
}
