package dev.meshd.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.agent.MeshAgentMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mesh-agent restore}: checks before it seeds, and seeds only an empty data dir. */
class RestoreCommandTest {

  private static final String SNAPSHOT = """
      {"format":1,"revision":7,"policies":[{"name":"p","modelSelector":"m*",
       "strategy":"least_queue","revision":5}],"placements":[]}
      """;

  @TempDir Path dir;
  private Path config;
  private Path snapshot;

  @BeforeEach
  void files() throws Exception {
    config = Files.writeString(dir.resolve("node1.yaml"), """
        node: {id: node1, roles: [control]}
        listen: {raft: 127.0.0.1:7071}
        raft:
          data-dir: ./data/node1
          peers: [node1@127.0.0.1:7071]
        gpus: {source: simulated, simulated: [{model: X, vram-gb: 1}]}
        """);
    snapshot = Files.writeString(dir.resolve("store.json"), SNAPSHOT);
  }

  @Test
  void seedsAnEmptyDataDirWithTheCheckedSnapshot() throws Exception {
    Run run = run("restore", "--config", config.toString(), snapshot.toString());

    assertThat(run.code).as(run.err).isZero();
    assertThat(run.out).contains("revision 7, 1 documents");
    Path seed = dir.resolve("data/node1/restore-seed.json");
    assertThat(seed).exists();
    assertThat(Files.readString(seed)).contains("\"revision\":7", "\"p\"");
  }

  @Test
  void refusesADataDirThatHoldsRaftState() throws Exception {
    Files.createDirectories(dir.resolve("data/node1/32f75e42-group"));

    Run run = run("restore", "--config", config.toString(), snapshot.toString());

    assertThat(run.code).isEqualTo(2);
    assertThat(run.err).contains("already holds Raft state", "32f75e42-group")
        .doesNotContain("Exception");
    assertThat(dir.resolve("data/node1/restore-seed.json")).doesNotExist();
  }

  @Test
  void refusesAFileThatIsNotASavedStore() throws Exception {
    Files.writeString(snapshot, """
        {"format":1,"revision":7,"policies":[{"name":"p","modelSelector":"m*",
         "strategy":"fastest","revision":5}],"placements":[]}
        """);
    Run invalid = run("restore", "--config", config.toString(), snapshot.toString());
    assertThat(invalid.code).isEqualTo(2);
    assertThat(invalid.err).contains("not a meshd snapshot", "strategy");

    Run missing = run("restore", "--config", config.toString(), dir.resolve("nope").toString());
    assertThat(missing.code).isEqualTo(2);
    assertThat(missing.err).contains("nope: no such file");
  }

  @Test
  void refusesANodeWithoutControlRole() throws Exception {
    Files.writeString(config, """
        node: {id: node1, roles: [gpu]}
        gpus: {source: simulated, simulated: [{model: X, vram-gb: 1}]}
        """);

    Run run = run("restore", "--config", config.toString(), snapshot.toString());

    assertThat(run.code).isEqualTo(2);
    assertThat(run.err).contains("lacks control");
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = MeshAgentMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }
}
