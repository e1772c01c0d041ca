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
    HttpResponse<InputStream> response = HTTP.send(chat(true, 60),
        HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-meshd-target")).isPresent();
    String target = response.headers().firstValue("x-meshd-runtime").orElseThrow();
    List<String> events = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line = lines.readLine();
      events.add(line.substring(6));
      // The first token is here while the runtime is still generating the other 59 (1.5 s at
      // 40 tokens/s): the router passed it on without waiting for the rest.
      assertThat(runningOn(target)).isEqualTo(1);
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("data: ")) {
          events.add(line.substring(6));
        }
      }
    }
    assertThat(events).hasSizeGreaterThan(60).last().isEqualTo("[DONE]");
    assertThat(JSON.readTree(events.getFirst()).get("object").asText())
        .isEqualTo("chat.completion.chunk");
  }

  @Test
  @Order(30)
  void aBusyRuntimeIsAvoided() throws Exception {
    // Occupy node2's runtime directly (its one slot plus a queue of three), behind the router's
    // back: only its scraped queue can tell the router.
    List<CompletableFuture<HttpResponse<InputStream>>> load = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      load.add(HTTP.sendAsync(direct(8002, 400), HttpResponse.BodyHandlers.ofInputStream()));
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
    // Closing the streams makes the runtime free its slot and queue at its next token.
    for (var f : load) {
      f.get(30, TimeUnit.SECONDS).body().close();
    }
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
  @Order(60)
  void aFailingRuntimeIsRetriedOnTheNextTargetBeforeTheFirstByte() throws Exception {
    faults(8001, "{\"failRate\": 1.0}");
    try {
      double retriesBefore = metric("meshd_router_retries_total", "");
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> response = HTTP.send(chat(false, 2),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-meshd-target")).hasValue("node2");
      }
      // Six requests over two targets: the router picks node1 first at least sometimes.
      assertThat(metric("meshd_router_retries_total", "")).isGreaterThan(retriesBefore);
    } finally {
      faults(8001, "{\"failRate\": 0.0}");
    }
  }

  @Test
  @Order(70)
  void aStreamThatBreaksAfterItsFirstBytesIsAnErrorForTheClient() throws Exception {
    faults(8001, "{\"failAfterTokens\": 2}");
    faults(8002, "{\"failAfterTokens\": 2}");
    try {
      HttpResponse<InputStream> response = HTTP.send(chat(true, 20),
          HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> response.body().readAllBytes())
          .isInstanceOf(IOException.class);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(metric("meshd_router_requests_total", "outcome=\"broken_stream\""))
              .isGreaterThanOrEqualTo(1));
    } finally {
      faults(8001, "{\"failAfterTokens\": -1}");
      faults(8002, "{\"failAfterTokens\": -1}");
    }
  }

  @Test
  @Order(80)
  void hedgingAndTenantLimitsFollowThePolicy() throws Exception {
    Path policy = workDir.resolve("hedged.yaml");
    java.nio.file.Files.writeString(policy, """
        name: hedged
        modelSelector: meta-llama/Llama-3.1-8B-Instruct
        strategy: round_robin
        admission:
          maxInFlightPerTenant: 1
        hedging:
          enabled: true
          delay: 0.3s
        """);
    var put = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7070), "policy", "put", "-f",
        policy.toString());
    assertThat(put.exitCode()).as(put.stderr()).isZero();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(route().path("strategy").asText()).isEqualTo("round_robin"));

    faults(8001, "{\"stallMillis\": 5000}");
    try {
      // Round robin over node1 and node2 starts half the requests on the stalled node1: the
      // hedge to node2 answers first.
      for (int i = 0; i < 4; i++) {
        HttpResponse<String> response = HTTP.send(chatAs("team-" + i, false, 2),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-meshd-target")).hasValue("node2");
      }
      assertThat(metric("meshd_router_hedges_total", "result=\"won\"")).isGreaterThan(0);
    } finally {
      faults(8001, "{\"stallMillis\": 0}");
    }

    HttpResponse<InputStream> open = HTTP.send(chatAs("team-a", true, 80),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = open.body()) {
      assertThat(open.statusCode()).isEqualTo(200);
      assertThat(body.read()).isNotNegative();
      HttpResponse<String> second = HTTP.send(chatAs("team-a", false, 2),
          HttpResponse.BodyHandlers.ofString());
      assertThat(second.statusCode()).isEqualTo(429);
      assertThat(second.headers().firstValue("retry-after")).hasValue("1");
      assertThat(second.body()).contains("tenant_limit");
      assertThat(HTTP.send(chatAs("team-b", false, 2), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(200);
    }
    var delete = mesh.run("mesh-cli", CLI_TIMEOUT, "--server", server(7070), "policy", "delete",
        "hedged");
    assertThat(delete.exitCode()).as(delete.stderr()).isZero();
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

  private static double runningOn(String runtime) throws Exception {
    String text = HTTP.send(HttpRequest.newBuilder(URI.create(runtime + "/metrics")).GET()
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    return text.lines().filter(l -> l.startsWith("vllm:num_requests_running{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
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

  /** A streaming request straight to a runtime, behind the router's back. */
  private static HttpRequest direct(int examplePort, int maxTokens) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mesh.port(examplePort)
            + "/v1/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body(true, maxTokens))).build();
  }

  private static void faults(int examplePort, String json) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + mesh.port(examplePort) + "/admin/faults"))
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  /** The value of an unlabelled-or-labelled sample of node1's /metrics, summed; 0 if absent. */
  private static double metric(String name, String labelFragment) throws Exception {
    String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + mesh.port(9464) + "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name) && line.contains(labelFragment)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static HttpRequest chatAs(String tenant, boolean stream, int maxTokens) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mesh.port(8080)
            + "/v1/chat/completions"))
        .header("Content-Type", "application/json")
        .header("x-meshd-tenant", tenant)
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body(stream, maxTokens))).build();
  }

  private static String body(boolean stream, int maxTokens) {
    return "{\"model\":\"" + MODEL + "\",\"stream\":" + stream + ",\"max_tokens\":" + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  private static String server(int examplePort) {
    return "127.0.0.1:" + mesh.port(examplePort);
  }
}
