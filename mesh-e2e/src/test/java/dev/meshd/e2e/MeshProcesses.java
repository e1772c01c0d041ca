package dev.meshd.e2e;

import dev.meshd.testkit.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real {@code mesh-agent} processes started through {@code bin/mesh-agent} from copies of the
 * example configs, with every loopback port rewritten to a free one. Closing it kills every
 * process it started; agents and fake runtimes are started with {@code --exit-with-parent}, so
 * they also stop when the test JVM itself is killed.
 */
final class MeshProcesses implements AutoCloseable {

  static final Path ROOT = Path.of(System.getProperty("meshd.root", "..")).toAbsolutePath()
      .normalize();
  private static final Pattern LOOPBACK_PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");

  private final Path workDir;
  private final Map<String, Integer> portMap = new LinkedHashMap<>();
  private final Map<String, Process> agents = new LinkedHashMap<>();
  private final Map<String, Process> runtimes = new LinkedHashMap<>();
  private final List<Process> all = new ArrayList<>();

  MeshProcesses(Path workDir) {
    this.workDir = workDir;
  }

  /** Copies node{1,2,3}.yaml and cluster.key, consistently mapping example ports to free ones. */
  void prepareExampleConfigs() throws IOException {
    Files.copy(ROOT.resolve("examples/cluster.key"), workDir.resolve("cluster.key"));
    for (String node : List.of("node1", "node2", "node3")) {
      String yaml = Files.readString(ROOT.resolve("examples/" + node + ".yaml"));
      Matcher m = LOOPBACK_PORT.matcher(yaml);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        int port = portMap.computeIfAbsent(m.group(1), p -> FreePorts.loopback());
        m.appendReplacement(out, "127.0.0.1:" + port);
      }
      m.appendTail(out);
      Files.writeString(workDir.resolve(node + ".yaml"), out.toString());
    }
  }

  /** The free port that replaced an example port, e.g. {@code port(7070)}. */
  int port(int examplePort) {
    return portMap.get(Integer.toString(examplePort));
  }

  Path config(String node) {
    return workDir.resolve(node + ".yaml");
  }

  Process startAgent(String node) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(ROOT.resolve("bin/mesh-agent").toString(), "start", "--config",
            config(node).toString(), "--exit-with-parent")
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve(node + ".log").toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = pb.start();
    agents.put(node, process);
    all.add(process);
    return process;
  }

  /**
   * Starts {@code bin/fake-runtime} on the free port that replaced {@code examplePort}; its
   * output goes to {@code ID.log}. Agents treat it as down until it answers.
   */
  Process startFakeRuntime(String id, int examplePort, String... options) throws IOException {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/fake-runtime").toString(),
        "--listen", "127.0.0.1:" + port(examplePort), "--id", id, "--exit-with-parent"));
    command.addAll(List.of(options));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve(id + ".log").toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = pb.start();
    runtimes.put(id, process);
    all.add(process);
    return process;
  }

  /** A fake runtime started with {@link #startFakeRuntime}, by id. */
  Process process(String runtimeId) {
    return runtimes.get(runtimeId);
  }

  Process agent(String node) {
    return agents.get(node);
  }

  String log(String node) {
    try {
      return Files.readString(workDir.resolve(node + ".log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Runs {@code bin/<tool> args...} to completion within {@code timeout}. */
  Result run(String tool, Duration timeout, String... args) throws IOException,
      InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("bin/" + tool).toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("MESHD_SERVER");
    Path out = Files.createTempFile(workDir, tool, ".out");
    Path err = Files.createTempFile(workDir, tool, ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = pb.start();
    all.add(process);
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(tool + " " + String.join(" ", args) + " did not finish within "
          + timeout);
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  record Result(int exitCode, String stdout, String stderr) {}

  @Override
  public void close() {
    for (Process process : all) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    for (Process process : all) {
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
