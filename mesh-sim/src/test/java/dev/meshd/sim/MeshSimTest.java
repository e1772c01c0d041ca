package dev.meshd.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: generate, validate and run, their outputs and exit codes. */
class MeshSimTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new MeshSim(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
  }

  @Test
  void generateValidateAndRunAllStrategiesWritingEveryOutput() throws Exception {
    Path file = dir.resolve("small.yaml");
    assertThat(run("generate", "--example", "small", "-o", file.toString())).isZero();
    assertThat(run("validate", file.toString())).isZero();
    assertThat(out.toString()).contains("valid").contains("512 workers");
    Path results = dir.resolve("out");
    assertThat(run("run", file.toString(), "--duration", "2s", "--out", results.toString()))
        .isZero();
    String table = out.toString();
    for (String s : new String[] {"round_robin", "least_queue", "power_of_two", "heuristic",
        "fabric_aware", "hybrid"}) {
      assertThat(table).contains(s);
    }
    assertThat(err.toString()).contains("events/s");
    assertThat(Files.readString(results.resolve("results.json"))).contains("\"p999\"")
        .contains("\"cost_per_1k_tokens\"").contains("\"hedge_win_rate\"");
    assertThat(Files.readAllLines(results.resolve("results.csv"))).hasSize(1 + 6 * 2);
    assertThat(Files.readString(results.resolve("latency.svg"))).startsWith("<svg")
        .contains("hybrid");
  }

  @Test
  void oneStrategyCanBeChosen() {
    Path file = dir.resolve("s.yaml");
    run("generate", "--example", "small", "-o", file.toString());
    assertThat(run("run", file.toString(), "--strategy", "hybrid", "--duration", "1s",
        "--quiet", "--out", dir.resolve("o").toString())).isZero();
    assertThat(out.toString()).contains("hybrid").doesNotContain("round_robin ");
  }

  @Test
  void badInputExitsTwoWithTheProblem() throws Exception {
    assertThat(run("generate", "--example", "nope")).isEqualTo(2);
    assertThat(err.toString()).contains("expected: one of small, medium, large, hetero, fabric");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "seed: 1\nfleet: {cells: 0}\n");
    assertThat(run("validate", bad.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("bad.yaml:2:").contains("fleet.cells");
    assertThat(run("run", bad.toString(), "--strategy", "fastest")).isEqualTo(2);
    assertThat(run()).isEqualTo(2);
  }

  @Test
  void helpAfterACommandPrintsTheUsageAndSucceeds() {
    assertThat(run("run", "--help")).isZero();
    assertThat(out.toString()).contains("mesh-sim run FILE [--strategy S]");
    assertThat(err.toString()).isEmpty();
  }
}
