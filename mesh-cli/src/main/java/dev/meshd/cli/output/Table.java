package dev.meshd.cli.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A text table with a header row, each column padded to its widest cell and columns three spaces
 * apart (kubectl's layout, which operators already read). Build it row by row, then
 * {@link #render()}. Not thread-safe; used by one command.
 */
public final class Table {

  private static final String GAP = "   ";

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  private Table(List<String> headers) {
    this.headers = List.copyOf(headers);
  }

  /** A table with these column headers, in order. */
  public static Table withColumns(String... headers) {
    if (headers.length == 0) {
      throw new IllegalArgumentException("headers: none (expected: at least one column)");
    }
    return new Table(List.of(headers));
  }

  /** Appends a row; it must have one cell per column. */
  public Table addRow(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "cells: " + cells.length + " (expected: " + headers.size() + ", one per column)");
    }
    for (String cell : cells) {
      Objects.requireNonNull(cell, "cell");
    }
    rows.add(List.of(cells));
    return this;
  }

  /** The header and rows, each line ending in a newline, with no trailing spaces. */
  public String render() {
    return render("");
  }

  /** Like {@link #render()}, with every line indented by {@code indent}. */
  public String render(String indent) {
    int[] widths = new int[headers.size()];
    measure(headers, widths);
    rows.forEach(row -> measure(row, widths));
    StringBuilder text = new StringBuilder();
    appendLine(text, indent, headers, widths);
    rows.forEach(row -> appendLine(text, indent, row, widths));
    return text.toString();
  }

  private static void measure(List<String> cells, int[] widths) {
    for (int i = 0; i < cells.size(); i++) {
      widths[i] = Math.max(widths[i], width(cells.get(i)));
    }
  }

  private static void appendLine(
      StringBuilder text, String indent, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder(indent);
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      line.append(cell);
      if (i < cells.size() - 1) {
        line.append(" ".repeat(widths[i] - width(cell))).append(GAP);
      }
    }
    // An empty last cell would otherwise leave the padding of the previous one behind.
    text.append(line.toString().stripTrailing()).append('\n');
  }

  // Code points, not chars: a label value outside the BMP is one column wide, not two.
  private static int width(String cell) {
    return cell.codePointCount(0, cell.length());
  }
}
