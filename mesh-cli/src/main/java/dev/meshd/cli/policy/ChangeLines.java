package dev.meshd.cli.policy;

import dev.meshd.cli.output.ProtoText;
import dev.meshd.proto.v1.StoreChange;

/**
 * The {@code policy watch} table: a header, then one line per change (REVISION, TYPE, KIND, NAME).
 * A watch cannot measure its rows before printing them, as {@link dev.meshd.cli.output.Table}
 * does, so the columns have fixed widths that fit the values this contract has (a longer
 * revision only pushes its line to the right). Stateless.
 */
final class ChangeLines {

  private static final String FORMAT = "%-10s   %-6s   %-9s   %s";

  private ChangeLines() {}

  static String header() {
    return line("REVISION", "TYPE", "KIND", "NAME");
  }

  /** {@code 42         PUT      policy      llama}. */
  static String of(StoreChange change) {
    return line(
        Long.toString(change.getRevision()),
        ProtoText.shortName(change.getType(), change.getTypeValue(), "CHANGE_TYPE_"),
        kind(change),
        name(change));
  }

  private static String kind(StoreChange change) {
    return switch (change.getDocumentCase()) {
      case POLICY -> "policy";
      case PLACEMENT -> "placement";
      case DRAIN -> "drain";
      // A newer agent's kind of document, or none at all.
      case DOCUMENT_NOT_SET -> "-";
    };
  }

  private static String name(StoreChange change) {
    String name = switch (change.getDocumentCase()) {
      case POLICY -> change.getPolicy().getName();
      case PLACEMENT -> change.getPlacement().getName();
      case DRAIN -> change.getDrain().getNodeId();
      case DOCUMENT_NOT_SET -> "";
    };
    return name.isEmpty() ? "-" : name;
  }

  private static String line(String revision, String type, String kind, String name) {
    return String.format(FORMAT, revision, type, kind, name).stripTrailing() + "\n";
  }
}
