package dev.meshd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshd.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real agents from the example configs, driven by the real {@code mesh-cli}: the walking
 * skeleton end to end. The tests share one mesh and run in order (the later ones stop agents).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalMeshE2EIT {

  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path workDir;
  private static MeshProcesses mesh;

  @BeforeAll
  static void startMesh() throws IOException {
    mesh = new MeshProcesses(workDir);
    mesh.prepareExampleConfigs();
    for (String node : new String[] {"node1", "node2", "node3"}) {
      mesh.startAgent(node);
    }
  }

  @AfterAll
  static void stopMesh() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  @Order(10)
  void listNodesShowsThreeAliveNodesWithTheirGpus() throws Exception {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(nodesByState()).containsOnly(
            Map.entry("node1", "NODE_STATE_ALIVE"),
            Map.entry("node2", "NODE_STATE_ALIVE"),
            Map.entry("node3", "NODE_STATE_ALIVE")));

    JsonNode nodes = listNodesJson(7080);
    Map<String, Integer> gpuCounts = new HashMap<>();
    for (JsonNode node : nodes) {
      gpuCounts.put(node.get("id").asText(), node.get("gpus").size());
      assertThat(node.get("gpus").get(0).get("source").asText()).isEqualTo("GPU_SOURCE_SIMULATED");
      assertThat(node.get("recordVersion").isTextual()).as("int64 as a JSON string").isTrue();
    }
    assertThat(gpuCounts).containsOnly(
        Map.entry("node1", 8), Map.entry("node2", 4), Map.entry("node3", 2));
  }

  @Test
  @Order(20)
  void tableOutputAndDescribeNode() throws Exception {
    var table = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7070), "list-nodes");
    assertThat(table.exitCode()).as(table.stderr()).isZero();
    assertThat(table.stdout()).contains("NODE", "STATE", "GPUS", "VRAM", "FABRIC", "AGE")
        .contains("8 (sim)").contains("ALIVE");

    var describe =
        mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7070), "describe-node", "node2");
    assertThat(describe.exitCode()).as(describe.stderr()).isZero();
    assertThat(describe.stdout()).contains("node2", "host-b", "A100-40GB");

    var missing =
        mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7070), "describe-node", "nope");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr().strip()).startsWith("not found:").doesNotContain("\n")
        .doesNotContain("Exception");
  }

  @Test
  @Order(25)
  void policyPutOnOneNodeIsListedOnAnotherAndRaftHasOneLeader() throws Exception {
    Path policy = MeshProcesses.ROOT.resolve("examples/policies/llama-hybrid.yaml");
    // The first write may meet a group still electing its first leader: retried, bounded.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> {
          var put = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7090), "policy", "put",
              "-f", policy.toString());
          assertThat(put.exitCode()).as(put.stderr()).isZero();
        });
    for (String placement : new String[] {"llama-replicas", "llama-pipeline"}) {
      var put = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7070), "placement", "put",
          "-f", MeshProcesses.ROOT.resolve("examples/placements/" + placement + ".yaml")
              .toString());
      assertThat(put.exitCode()).as(put.stderr()).isZero();
    }

    // A node the fleet does not know is allowed (it may join later) but reported on stderr.
    Path ghost = workDir.resolve("ghost-placement.yaml");
    Files.writeString(ghost, """
        name: ghostly
        model: meta-llama/Llama-3.1-8B-Instruct
        replicas:
          - {nodeId: node1, gpuIndexes: [0]}
          - {nodeId: node9, gpuIndexes: [0]}
        """);
    var warned = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7080), "placement", "put",
        "-f", ghost.toString());
    assertThat(warned.exitCode()).as(warned.stderr()).isZero();
    assertThat(warned.stderr()).contains("warning: replicas: node \"node9\" is not a member");

    var list = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7080), "policy", "list");
    assertThat(list.exitCode()).as(list.stderr()).isZero();
    assertThat(list.stdout()).contains("llama-3.1-8b-hybrid", "hybrid");
    var placements =
        mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7090), "placement", "list");
    assertThat(placements.exitCode()).as(placements.stderr()).isZero();
    assertThat(placements.stdout()).contains("llama-3.1-8b-replicas", "llama-3.1-8b-pipeline");

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          var status = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7080), "raft",
              "status", "-o", "json");
          assertThat(status.exitCode()).as(status.stderr()).isZero();
          JsonNode peers = JSON.readTree(status.stdout()).get("peers");
          Map<String, Integer> roles = new HashMap<>();
          peers.forEach(p -> roles.merge(p.get("role").asText(), 1, Integer::sum));
          assertThat(roles).containsOnly(
              Map.entry("PEER_ROLE_LEADER", 1), Map.entry("PEER_ROLE_FOLLOWER", 2));
        });
    var table = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7070), "raft", "status");
    assertThat(table.stdout()).contains("NODE", "ID", "ADDRESS", "ROLE", "VOTER", "COMMIT",
        "APPLIED", "LAG");
  }

  @Test
  @Order(30)
  void metricsScrapePassesPromtool() throws Exception {
    HttpResponse<String> scrape = get(mesh.port(9464), "/metrics");
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body())
        .contains("meshd_gpu_memory_total_bytes{gpu=\"0\",model=\"H100-80GB\",node=\"node1\"}")
        .contains("meshd_gpu_utilization_ratio")
        .contains("meshd_gossip_members{node=\"node1\",state=\"alive\"} 3")
        .contains("meshd_gossip_records_rejected_total")
        .contains("jvm_memory_used_bytes")
        .contains("process_cpu_usage");
    assertThat(get(mesh.port(9464), "/readyz").statusCode()).isEqualTo(200);
    assertThat(get(mesh.port(9464), "/healthz").statusCode()).isEqualTo(200);

    Path promtool = findOnPath("promtool");
    Assumptions.assumeTrue(promtool != null,
        "promtool not installed (apt-get install prometheus); .ci/run installs it");
    Path scrapeFile = workDir.resolve("scrape.txt");
    Files.writeString(scrapeFile, scrape.body());
    Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
        .redirectInput(scrapeFile.toFile()).redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes());
    assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as("promtool check metrics said:%n%s", output).isZero();
  }

  @Test
  @Order(30)
  void examplePrometheusConfigIsValid() throws Exception {
    Path promtool = findOnPath("promtool");
    Assumptions.assumeTrue(promtool != null,
        "promtool not installed (apt-get install prometheus); .ci/run installs it");
    Process check = new ProcessBuilder(promtool.toString(), "check", "config",
        MeshProcesses.ROOT.resolve("examples/prometheus.yml").toString())
        .redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes());
    assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as("promtool check config said:%n%s", output).isZero();
  }

  @Test
  @Order(40)
  void killedAgentIsNoLongerAlive() throws Exception {
    mesh.agent("node3").destroyForcibly();

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(nodesByState().get("node3"))
            .isIn("NODE_STATE_SUSPECT", "NODE_STATE_DEAD"));
    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(nodesByState().get("node3")).isEqualTo("NODE_STATE_DEAD"));
    assertThat(nodesByState().get("node2")).isEqualTo("NODE_STATE_ALIVE");

    // The same node restarted (a new process, a new gossip identity) is ALIVE again.
    mesh.startAgent("node3");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(nodesByState().get("node3")).isEqualTo("NODE_STATE_ALIVE"));
  }

  @Test
  @Order(50)
  void sigtermLeavesTheMeshAndExitsPromptly() throws Exception {
    Process node2 = mesh.agent("node2");
    node2.destroy();
    assertThat(node2.waitFor(5, TimeUnit.SECONDS)).as("exit within 5 s; log:%n%s",
        mesh.log("node2")).isTrue();
    assertThat(node2.exitValue()).isIn(0, 143);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(nodesByState().get("node2")).isEqualTo("NODE_STATE_LEFT"));
  }

  @Test
  @Order(60)
  void unreachableAgentIsOneLineAndExitOne() throws Exception {
    int port = FreePorts.loopback();
    var result = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", "127.0.0.1:" + port, "list-nodes");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr().strip())
        .isEqualTo("cannot reach agent at 127.0.0.1:" + port + ": connection refused");
  }

  @Test
  @Order(70)
  void invalidConfigIsExitTwoWithFileLineAndKey() throws Exception {
    Path bad = workDir.resolve("bad.yaml");
    Files.writeString(bad, "node:\n  id: n1\nlisten:\n  grpc: 127.0.0.1\n");
    var result = mesh.run("mesh-agent", CLI_TIMEOUT, "validate", "--config", bad.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("bad.yaml:4").contains("listen.grpc")
        .doesNotContain("Exception");
  }

  private static Map<String, String> nodesByState() throws Exception {
    Map<String, String> states = new HashMap<>();
    for (JsonNode node : listNodesJson(7070)) {
      states.put(node.get("id").asText(), node.get("state").asText());
    }
    return states;
  }

  private static JsonNode listNodesJson(int examplePort) throws Exception {
    var result = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(examplePort), "list-nodes",
        "-o", "json");
    assertThat(result.exitCode()).as("mesh-cli failed: %s", result.stderr()).isZero();
    JsonNode nodes = JSON.readTree(result.stdout());
    assertThat(nodes.isArray()).isTrue();
    return nodes;
  }

  private static String server(int examplePort) {
    return "127.0.0.1:" + mesh.port(examplePort);
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static Path findOnPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
