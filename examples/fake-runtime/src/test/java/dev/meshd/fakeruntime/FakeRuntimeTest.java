package dev.meshd.fakeruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshd.fakeruntime.internal.OpenAiFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real {@link FakeRuntime} on a free loopback port per test, driven over HTTP. */
class FakeRuntimeTest {

  private static final String MODEL = FakeRuntimeConfig.DEFAULT_MODEL;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private FakeRuntime runtime;

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
    http.close();
  }

  private FakeRuntime start(FakeRuntimeConfig config) throws IOException {
    runtime = FakeRuntime.start(config.withListen(new InetSocketAddress("127.0.0.1", 0)));
    return runtime;
  }

  private static FakeRuntimeConfig fast() {
    return FakeRuntimeConfig.defaults().withTokensPerSecond(1000).withTtft(Duration.ZERO);
  }

  private static String chat(String model, int maxTokens, boolean stream) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"say something nice\"}],\"max_tokens\":" + maxTokens + ",\"stream\":" + stream + "}";
  }

  private HttpRequest post(String path, String body) {
    return HttpRequest.newBuilder(runtime.baseUri().resolve(path))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private String metrics() throws Exception {
    return send(HttpRequest.newBuilder(runtime.baseUri().resolve("/metrics")).build()).body();
  }

  private static double metric(String body, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name)
        + "\\{engine=\"0\",model_name=\"" + Pattern.quote(MODEL) + "\"\\} (\\S+)$").matcher(body);
    assertThat(m.find()).as(name + " in\n" + body).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void streamsChunksAsTheyAreGenerated() throws Exception {
    start(FakeRuntimeConfig.defaults().withId("rt-a").withTokensPerSecond(20));
    HttpResponse<Stream<String>> response = http.send(post("/v1/chat/completions",
        chat(MODEL, 20, true)), HttpResponse.BodyHandlers.ofLines());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(response.headers().firstValue(FakeRuntime.ID_HEADER)).hasValue("rt-a");
    Iterator<String> lines = response.body().iterator();
    String first = lines.next();
    // 20 tokens at 20/s take a second: the first chunk arrives while the request still runs.
    assertThat(runtime.running()).isEqualTo(1);
    assertThat(first).startsWith("data: ");
    List<String> events = new ArrayList<>(List.of(first));
    lines.forEachRemaining(line -> {
      if (!line.isEmpty()) {
        events.add(line);
      }
    });

    assertThat(events).hasSize(22).last().isEqualTo("data: [DONE]");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      JsonNode chunk = JSON.readTree(events.get(i).substring("data: ".length()));
      assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.path("model").asText()).isEqualTo(MODEL);
      assertThat(chunk.path("choices").get(0).path("finish_reason").isNull()).isTrue();
      text.append(chunk.path("choices").get(0).path("delta").path("content").asText());
    }
    assertThat(text.toString()).isEqualTo(OpenAiFormat.text(20));
    JsonNode last = JSON.readTree(events.get(20).substring("data: ".length()));
    assertThat(last.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
    assertThat(last.path("choices").get(0).path("delta").isEmpty()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> runtime.running() == 0);
  }

  @Test
  void answersWholeChatAndTextCompletions() throws Exception {
    start(fast());
    HttpResponse<String> chat = send(post("/v1/chat/completions", chat(MODEL, 5, false)));
    assertThat(chat.statusCode()).isEqualTo(200);
    assertThat(chat.headers().firstValue(FakeRuntime.ID_HEADER))
        .hasValue(Integer.toString(runtime.address().getPort()));
    JsonNode body = JSON.readTree(chat.body());
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("id").asText()).startsWith("chatcmpl-");
    JsonNode choice = body.path("choices").get(0);
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("message").path("content").asText())
        .isEqualTo("the mesh routes each request");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
    assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(3);
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
    assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(8);

    HttpResponse<String> text = send(post("/v1/completions",
        "{\"model\":\"" + MODEL + "\",\"prompt\":\"once upon\",\"max_tokens\":2}"));
    assertThat(text.statusCode()).isEqualTo(200);
    JsonNode t = JSON.readTree(text.body());
    assertThat(t.path("object").asText()).isEqualTo("text_completion");
    assertThat(t.path("choices").get(0).path("text").asText()).isEqualTo("the mesh");
    assertThat(t.path("usage").path("completion_tokens").asInt()).isEqualTo(2);
  }

  @Test
  void metricsShowTheRealQueue() throws Exception {
    start(FakeRuntimeConfig.defaults().withSlots(1).withTokensPerSecond(10));
    List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pending.add(http.sendAsync(post("/v1/chat/completions", chat(MODEL, 200, false)),
          HttpResponse.BodyHandlers.ofString()));
    }

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      String body = metrics();
      assertThat(metric(body, "vllm:num_requests_waiting")).isEqualTo(2.0);
      assertThat(metric(body, "vllm:num_requests_running")).isEqualTo(1.0);
    });
    await().atMost(Duration.ofSeconds(5))
        .until(() -> metric(metrics(), "vllm:kv_cache_usage_perc") > 0);
    assertThat(pending).noneMatch(CompletableFuture::isDone);
  }

  @Test
  void theGeneratedTokenCounterCountsEveryTokenStreamed() throws Exception {
    start(fast());
    assertThat(metric(metrics(), "vllm:generation_tokens_total")).isZero();

    HttpResponse<String> streamed = send(post("/v1/chat/completions", chat(MODEL, 7, true)));
    HttpResponse<String> whole = send(post("/v1/completions",
        "{\"model\":\"" + MODEL + "\",\"prompt\":\"hi\",\"max_tokens\":5}"));

    assertThat(streamed.statusCode()).isEqualTo(200);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(metric(metrics(), "vllm:generation_tokens_total")).isEqualTo(12.0);
  }

  @Test
  void theInterTokenHistogramTimesEveryTokenButEachRequestsFirst() throws Exception {
    start(fast());
    String before = metrics();
    assertThat(metric(before, "vllm:inter_token_latency_seconds_count")).isZero();
    assertThat(metric(before, "vllm:inter_token_latency_seconds_sum")).isZero();

    send(post("/v1/chat/completions", chat(MODEL, 7, true)));
    send(post("/v1/completions",
        "{\"model\":\"" + MODEL + "\",\"prompt\":\"hi\",\"max_tokens\":5}"));

    String after = metrics();
    assertThat(after).contains("# TYPE vllm:inter_token_latency_seconds histogram\n",
        "vllm:inter_token_latency_seconds_bucket{engine=\"0\",model_name=\"" + MODEL
            + "\",le=\"+Inf\"} 10\n");
    assertThat(metric(after, "vllm:inter_token_latency_seconds_count")).isEqualTo(6.0 + 4.0);
    assertThat(metric(after, "vllm:inter_token_latency_seconds_sum")).isPositive();
  }

  @Test
  void requestsBeyondTheQueueGet503() throws Exception {
    start(FakeRuntimeConfig.defaults().withSlots(1).withMaxQueue(0).withTokensPerSecond(10));
    CompletableFuture<HttpResponse<String>> first = http.sendAsync(
        post("/v1/chat/completions", chat(MODEL, 200, false)),
        HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(5)).until(() -> runtime.running() == 1);

    HttpResponse<String> refused = send(post("/v1/chat/completions", chat(MODEL, 1, false)));

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(refused.body()).path("error").path("message").asText())
        .contains("queue is full");
    assertThat(first).isNotDone();
  }

  @Test
  void aClientThatDisconnectsMidStreamFreesItsSlot() throws Exception {
    start(FakeRuntimeConfig.defaults().withSlots(1).withTokensPerSecond(50));
    try (Socket socket = new Socket("127.0.0.1", runtime.address().getPort())) {
      writeRequest(socket, "/v1/chat/completions", chat(MODEL, 4000, true));
      readUntil(socket.getInputStream(), "data: ");
      assertThat(runtime.running()).isEqualTo(1);
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> runtime.running() == 0);
    HttpResponse<String> next = send(post("/v1/chat/completions", chat(MODEL, 1, false)));
    assertThat(next.statusCode()).isEqualTo(200);
  }

  @Test
  void failAfterTokensCutsTheStreamWithoutItsEnd() throws Exception {
    start(fast().withFaults(Faults.NONE.withFailAfterTokens(3)));
    String raw;
    try (Socket socket = new Socket("127.0.0.1", runtime.address().getPort())) {
      socket.setSoTimeout(5000);
      writeRequest(socket, "/v1/chat/completions", chat(MODEL, 10, true));
      raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(raw).startsWith("HTTP/1.1 200");
    assertThat(Pattern.compile("data: \\{").matcher(raw).results().count()).isEqualTo(3);
    assertThat(raw).doesNotContain("[DONE]").doesNotContain("finish_reason\":\"length")
        .doesNotEndWith("0\r\n\r\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> runtime.running() == 0);
    // HttpServer alone would count the cut exchange as running and wait the whole grace.
    long startNanos = System.nanoTime();
    runtime.stop(Duration.ofSeconds(5));
    assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void failRateOneAnswers500AndTheAdminEndpointTurnsItOff() throws Exception {
    start(fast().withFaults(Faults.NONE.withFailRate(1.0)));
    HttpResponse<String> failed = send(post("/v1/chat/completions", chat(MODEL, 2, false)));
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(JSON.readTree(failed.body()).path("error").path("type").asText())
        .isEqualTo("internal_server_error");

    HttpResponse<String> admin = send(post("/admin/faults", "{\"failRate\":0}"));
    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(admin.body()).path("failRate").asDouble()).isZero();
    assertThat(runtime.faults().failRate()).isZero();
    assertThat(send(post("/v1/chat/completions", chat(MODEL, 2, false))).statusCode())
        .isEqualTo(200);
  }

  @Test
  void theAdminEndpointRejectsUnknownKeysAndSetsTheOthers() throws Exception {
    start(fast());
    HttpResponse<String> bad = send(post("/admin/faults", "{\"failrate\":1}"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("unknown key failrate");

    HttpResponse<String> ok = send(post("/admin/faults",
        "{\"failAfterTokens\":2,\"stallMillis\":15}"));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(runtime.faults()).isEqualTo(new Faults(0, 2, Duration.ofMillis(15)));
    send(post("/admin/faults", "{\"failAfterTokens\":null}"));
    assertThat(runtime.faults().closesMidStream()).isFalse();
  }

  @Test
  void stallDelaysTheFirstByte() throws Exception {
    start(fast().withFaults(Faults.NONE.withStall(Duration.ofMillis(300))));
    long startNanos = System.nanoTime();
    HttpResponse<String> response = send(post("/v1/chat/completions", chat(MODEL, 1, false)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - startNanos))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void unknownModelIs404WithOpenAiError() throws Exception {
    start(fast());
    HttpResponse<String> response = send(post("/v1/chat/completions", chat("gpt-5", 2, false)));

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("code").asText()).isEqualTo("model_not_found");
    assertThat(error.path("message").asText()).contains("gpt-5");
  }

  @Test
  void malformedRequestsAre400NamingTheProblem() throws Exception {
    start(fast());
    HttpResponse<String> broken = send(post("/v1/chat/completions", "{\"model\": "));
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(broken.body()).path("error").path("message").asText())
        .startsWith("malformed JSON at line 1");

    HttpResponse<String> tooMany = send(post("/v1/chat/completions", chat(MODEL, 5000, false)));
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(tooMany.body()).path("error").path("param").asText())
        .isEqualTo("max_tokens");

    HttpResponse<String> noMessages = send(post("/v1/chat/completions",
        "{\"model\":\"" + MODEL + "\"}"));
    assertThat(noMessages.statusCode()).isEqualTo(400);
    assertThat(noMessages.body()).contains("messages");
  }

  @Test
  void modelsListsTheServedModels() throws Exception {
    start(fast().withModels(List.of(MODEL, "Qwen/Qwen2.5-7B-Instruct")).withId("rt-m"));
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(runtime.baseUri().resolve("/v1/models")).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue(FakeRuntime.ID_HEADER)).hasValue("rt-m");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("object").asText()).isEqualTo("list");
    assertThat(body.path("data").findValuesAsText("id"))
        .containsExactly(MODEL, "Qwen/Qwen2.5-7B-Instruct");
    assertThat(body.path("data").findValuesAsText("owned_by")).containsOnly("meshd-fake");
    assertThat(body.path("data").findValuesAsText("object")).containsOnly("model");
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws Exception {
    start(fast());
    assertThat(send(HttpRequest.newBuilder(runtime.baseUri().resolve("/v2/nothing")).build())
        .statusCode()).isEqualTo(404);
    assertThat(send(HttpRequest.newBuilder(runtime.baseUri().resolve("/v1/models/x")).build())
        .statusCode()).isEqualTo(404);
    HttpResponse<String> get = send(
        HttpRequest.newBuilder(runtime.baseUri().resolve("/v1/chat/completions")).build());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue(FakeRuntime.ID_HEADER)).isPresent();
  }

  private static void writeRequest(Socket socket, String path, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  private static void readUntil(InputStream in, String marker) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      seen.write(b);
      if (seen.toString(StandardCharsets.UTF_8).contains(marker)) {
        return;
      }
    }
    throw new IOException("stream ended before " + marker + ": " + seen);
  }
}
