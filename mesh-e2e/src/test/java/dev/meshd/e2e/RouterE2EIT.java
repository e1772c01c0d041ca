package dev.meshd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example mesh with its fake runtimes, as real processes: requests through node1's ingress
 * reach the least-loaded runtime and stream back, {@code mesh-cli route} explains the choice,
 * a killed runtime stops getting requests, a drained node too, and SIGTERM lets an open stream
 * finish. The tests share one mesh and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouterE2EIT {

  private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path workDir;
  private static MeshProcesses mesh;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void startMesh() throws IOException {
    mesh = new MeshProcesses(workDir);
    mesh.prepareExampleConfigs();
    // Slow token rates and one slot each, so a few requests make a queue the router must see.
    mesh.startFakeRuntime("rt-node1", 8001, "--slots", "1", "--tokens-per-second", "40");
    mesh.startFakeRuntime("rt-node2", 8002, "--slots", "1", "--tokens-per-second", "40");
    mesh.startFakeRuntime("rt-node3", 8003, "--slots", "1", "--tokens-per-second", "40");
    for (String node : new String[] {"node1", "node2", "node3"}) {
      mesh.startAgent(node);
    }
  }

  @AfterAll
  static void stopMesh() {
    HTTP.close();
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  @Order(10)
  void routeExplainsThreeHealthyTargets() {
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(rankedNodes()).containsExactlyInAnyOrder(
            "node1", "node2", "node3"));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var table = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7070), "route",
          "--model", MODEL);
      assertThat(table.exitCode()).as(table.stderr()).isZero();
      assertThat(table.stdout()).contains("Strategy:  hybrid", "RANK", "queue_depth=");
    });
  }

  @Test
  @Order(20)
  void streamingRequestThroughTheIngressArrivesIncrementally() throws Exception {
    HttpResponse<InputStream> response = HTTP.send(chat(true, 20),
        HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-meshd-target")).isPresent();
    List<String> events = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("data: ")) {
          events.add(line.substring(6));
        }
      }
    }
    assertThat(events).hasSizeGreaterThan(20).last().isEqualTo("[DONE]");
    assertThat(JSON.readTree(events.getFirst()).get("object").asText())
        .isEqualTo("chat.completion.chunk");
  }

  @Test
  @Order(30)
  void aBusyRuntimeIsAvoided() throws Exception {
    // Occupy node2's runtime directly (its one slot plus a queue of three), behind the router's
    // back: only its scraped queue can tell the router.
    List<CompletableFuture<HttpResponse<Void>>> load = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      load.add(HTTP.sendAsync(direct(8002, 400), HttpResponse.BodyHandlers.discarding()));
    }
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(rankedNodes().getLast()).isEqualTo("node2"));

    Map<String, Integer> targets = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> response = HTTP.send(chat(false, 2),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      targets.merge(response.headers().firstValue("x-meshd-target").orElseThrow(), 1,
          Integer::sum);
    }
    assertThat(targets).doesNotContainKey("node2");
    load.forEach(f -> f.cancel(true));
  }

  @Test
  @Order(40)
  void aKilledRuntimeGetsNoMoreRequests() throws Exception {
    Process runtime3 = mesh.process("rt-node3");
    runtime3.destroyForcibly();
    runtime3.waitFor(10, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(rejections()).containsKey("node3"));
    assertThat(rejections().get("node3")).startsWith("runtime unhealthy");

    for (int i = 0; i < 6; i++) {
      HttpResponse<String> response = HTTP.send(chat(false, 2),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-meshd-target")).isNotEqualTo(
          java.util.Optional.of("node3"));
    }
  }

  @Test
  @Order(50)
  void aDrainedNodeGetsNoNewRequestsUntilUncordoned() throws Exception {
    var drain = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7080), "drain", "node1",
        "--reason", "kernel upgrade");
    assertThat(drain.exitCode()).as(drain.stderr()).isZero();

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(rejections()).containsEntry("node1", "node draining"));
    var nodes = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7070), "list-nodes");
    assertThat(nodes.stdout()).contains("ALIVE,draining");
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> response = HTTP.send(chat(false, 2),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-meshd-target")).hasValue("node2");
    }

    var uncordon = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7090), "uncordon",
        "node1");
    assertThat(uncordon.exitCode()).as(uncordon.stderr()).isZero();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(rankedNodes()).contains("node1"));
  }

  @Test
  @Order(90)
  void sigtermLetsAnOpenStreamFinish() throws Exception {
    HttpResponse<InputStream> response = HTTP.send(chat(true, 40),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).startsWith("data: ");
      Process router = mesh.agent("node1");
      router.toHandle().destroy(); // SIGTERM
      String line;
      String last = null;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("data: ")) {
          last = line;
        }
      }
      assertThat(last).isEqualTo("data: [DONE]");
      assertThat(router.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(mesh.log("node1")).contains("router ingress stopping");
  }

  private static List<String> rankedNodes() throws Exception {
    JsonNode route = route();
    List<String> nodes = new ArrayList<>();
    route.path("targets").forEach(t -> nodes.add(t.path("target").path("nodeId").asText()));
    return nodes;
  }

  private static Map<String, String> rejections() throws Exception {
    Map<String, String> out = new HashMap<>();
    route().path("rejected").forEach(r -> out.put(r.path("target").path("nodeId").asText(),
        r.path("reason").asText()));
    return out;
  }

  private static JsonNode route() throws Exception {
    var result = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7070), "route", "--model",
        MODEL, "-o", "json");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return JSON.readTree(result.stdout());
  }

  private static HttpRequest chat(boolean stream, int maxTokens) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mesh.port(8080)
            + "/v1/chat/completions"))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body(stream, maxTokens))).build();
  }

  private static HttpRequest direct(int examplePort, int maxTokens) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mesh.port(examplePort)
            + "/v1/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body(false, maxTokens))).build();
  }

  private static String body(boolean stream, int maxTokens) {
    return "{\"model\":\"" + MODEL + "\",\"stream\":" + stream + ",\"max_tokens\":" + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  private static String server(int examplePort) {
    return "127.0.0.1:" + mesh.port(examplePort);
  }
}
