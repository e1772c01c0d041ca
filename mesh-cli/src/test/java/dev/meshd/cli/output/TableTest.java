package dev.meshd.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void padsEachColumnToItsWidestCellWithoutTrailingSpaces() {
    String text =
        Table.withColumns("A", "LONG HEADER", "C")
            .addRow("wide cell", "x", "")
            .addRow("b", "y", "last")
            .render();

    assertThat(text)
        .isEqualTo(
            """
            A           LONG HEADER   C
            wide cell   x
            b           y             last
            """);
  }

  @Test
  void indentsEveryLine() {
    assertThat(Table.withColumns("K", "V").addRow("a", "b").render("  "))
        .isEqualTo("  K   V\n  a   b\n");
  }

  @Test
  void rejectsRowsOfTheWrongWidth() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Table.withColumns("A", "B").addRow("only one"))
        .withMessage("cells: 1 (expected: 2, one per column)");
  }
}
