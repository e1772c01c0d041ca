package dev.meshd.router.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.RuntimeInfo;
import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.policy.Admission;
import dev.meshd.core.policy.Hedging;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.core.signal.ModelLoad;
import dev.meshd.core.signal.RuntimeSignal;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.route.CandidateBuilder;
import dev.meshd.router.route.DispatchLedger;
import dev.meshd.router.route.Router;
import dev.meshd.router.route.RouterSettings;
import dev.meshd.router.route.RoutingTable;
import dev.meshd.router.strategy.Strategies;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngressServerTest {

  private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";
  private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<FleetMember> members = new ArrayList<>();
  private final Map<String, List<AgedSignal>> signals = new ConcurrentHashMap<>();
  private final AtomicReference<RoutingTable> table = new AtomicReference<>(RoutingTable.EMPTY);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();
  private IngressServer ingress;
  private io.opentelemetry.api.trace.Tracer tracer = OpenTelemetry.noop().getTracer("test");

  @AfterEach
  void closeAll() throws Exception {
    if (ingress != null) {
      ingress.close();
    }
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
    client.close();
  }

  @Test
  void streamsChunksAsTheyArriveAndNamesTheTarget() throws Exception {
    CountDownLatch firstSeenByClient = new CountDownLatch(1);
    upstream("node1", 0, exchange -> {
      OutputStream out = FakeUpstream.startSse(exchange, "{\"token\":\"Hello\"}");
      assertThat(firstSeenByClient.await(10, TimeUnit.SECONDS)).isTrue();
      FakeUpstream.sse(out, "[DONE]");
      out.close();
    });
    startIngress();

    HttpResponse<InputStream> response = client.send(post(chat(true)),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-meshd-target")).hasValue("node1");
    assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      // The upstream holds its second event until the client has the first: only a proxy
      // that passes chunks through as they come gets past this line.
      assertThat(lines.readLine()).isEqualTo("data: {\"token\":\"Hello\"}");
      firstSeenByClient.countDown();
      assertThat(lines.readLine()).isEmpty();
      assertThat(lines.readLine()).isEqualTo("data: [DONE]");
    }
    // Counted once the response is closed, which may be just after the client has read it all.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(counter("meshd.router.requests", "outcome", "ok")).isEqualTo(1));
  }

  @Test
  void routesToTheLeastLoadedTarget() throws Exception {
    upstream("node1", 7, FakeUpstream.json("{\"from\":\"node1\"}"));
    upstream("node2", 0, FakeUpstream.json("{\"from\":\"node2\"}"));
    startIngress();

    HttpResponse<String> response = client.send(post(chat(false)), ofString());

    assertThat(response.body()).isEqualTo("{\"from\":\"node2\"}");
  }

  @Test
  void retriesTheNextTargetAfterA5xxOrAConnectFailureBeforeTheFirstByte() throws Exception {
    FakeUpstream failing = upstream("node1", 0, FakeUpstream.status(503));
    upstream("node2", 1, FakeUpstream.json("{\"from\":\"node2\"}"));
    startIngress();

    HttpResponse<String> response = client.send(post(chat(false)), ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"from\":\"node2\"}");
    assertThat(failing.requests.get()).isEqualTo(1);
    assertThat(counter("meshd.router.retries")).isEqualTo(1);

    failing.close();
    HttpResponse<String> again = client.send(post(chat(false)), ofString());
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.headers().firstValue("x-meshd-target")).hasValue("node2");
  }

  @Test
  void everyTargetFailingGives502NamingEachFailure() throws Exception {
    upstream("node1", 0, FakeUpstream.status(500));
    upstream("node2", 0, FakeUpstream.status(502));
    startIngress();

    HttpResponse<String> response = client.send(post(chat(false)), ofString());

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("HTTP 500 from", "HTTP 502 from", "upstream_failed");
  }

  @Test
  void noRetryOnceBytesWereSentAndTheClientSeesAnError() throws Exception {
    FakeUpstream breaking = upstream("node1", 0, exchange -> {
      FakeUpstream.startSse(exchange, "{\"token\":\"Hel\"}");
      throw new IOException("runtime crashed mid-stream");
    });
    FakeUpstream spare = upstream("node2", 3, FakeUpstream.json("{}"));
    startIngress();

    HttpResponse<InputStream> response = client.send(post(chat(true)),
        HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(IOException.class);
    assertThat(breaking.requests.get()).isEqualTo(1);
    assertThat(spare.requests.get()).isZero();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(counter("meshd.router.requests", "outcome", "broken_stream")).isEqualTo(1));
  }

  @Test
  void hedgesAfterTheDelayAndKeepsTheFirstAnswer() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch slowCancelled = new CountDownLatch(1);
    upstream("node1", 0, exchange -> {
      release.await(20, TimeUnit.SECONDS);
      try {
        FakeUpstream.startSse(exchange, "{\"from\":\"node1\"}");
      } catch (IOException e) {
        slowCancelled.countDown();
      }
    });
    upstream("node2", 2, FakeUpstream.json("{\"from\":\"node2\"}"));
    policy(new Policy("hedged", "meta-llama/*", "least_queue", Map.of(), null,
        new Hedging(true, Duration.ofMillis(100)), 1));
    startIngress();

    HttpResponse<String> response = client.send(post(chat(false)), ofString());
    release.countDown();

    assertThat(response.body()).isEqualTo("{\"from\":\"node2\"}");
    assertThat(counter("meshd.router.hedges", "result", "won")).isEqualTo(1);
  }

  @Test
  void admissionRejectionGives429WithRetryAfter() throws Exception {
    upstream("node1", 9, FakeUpstream.json("{}"));
    policy(new Policy("limited", MODEL, "hybrid", Map.of(), new Admission(4, 0), null, 1));
    startIngress();

    HttpResponse<String> response = client.send(post(chat(false)), ofString());

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("retry-after")).hasValue("1");
    assertThat(response.body()).contains("admission_rejected", "policy limited");
  }

  @Test
  void tenantInFlightLimitIsPerTenant() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    upstream("node1", 0, exchange -> {
      started.countDown();
      release.await(20, TimeUnit.SECONDS);
      FakeUpstream.json("{}").handle(exchange);
    });
    policy(new Policy("tenants", MODEL, "hybrid", Map.of(), new Admission(0, 1), null, 1));
    startIngress();

    var first = client.sendAsync(post(chat(false), "team-a"), ofString());
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    HttpResponse<String> second = client.send(post(chat(false), "team-a"), ofString());
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.body()).contains("tenant \\\"team-a\\\" has 1 requests in flight");
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(client.send(post(chat(false), "team-a"), ofString()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void clientDisconnectCancelsTheUpstream() throws Exception {
    CountDownLatch upstreamSawCancel = new CountDownLatch(1);
    upstream("node1", 0, exchange -> {
      OutputStream out = FakeUpstream.startSse(exchange, "{\"token\":\"a\"}");
      // Streams tokens until the ingress closes this connection (a write then fails; once the
      // socket buffers are full a write blocks until that close), within a deadline.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      try {
        while (System.nanoTime() < deadline) {
          FakeUpstream.sse(out, "{\"token\":\"b\"}");
        }
      } catch (IOException e) {
        upstreamSawCancel.countDown();
      }
    });
    startIngress();

    HttpResponse<InputStream> response = client.send(post(chat(true)),
        HttpResponse.BodyHandlers.ofInputStream());
    response.body().readNBytes(10);
    response.body().close();

    assertThat(upstreamSawCancel.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void badRequestsGetOpenAiErrorsNamingTheProblem() throws Exception {
    upstream("node1", 0, FakeUpstream.json("{}"));
    startIngress();

    HttpResponse<String> invalid = client.send(postRaw("{\"model\": "), ofString());
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.body()).contains("request body: invalid JSON at line 1");

    HttpResponse<String> noModel = client.send(postRaw("{\"messages\": []}"), ofString());
    assertThat(noModel.statusCode()).isEqualTo(400);
    assertThat(noModel.body()).contains("model: required");

    HttpResponse<String> unknown = client.send(postRaw("{\"model\": \"nope\"}"), ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("model_not_found");

    HttpResponse<String> wrongMethod = client.send(HttpRequest.newBuilder(
        uri("/v1/chat/completions")).GET().build(), ofString());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
  }

  @Test
  void modelsListsWhatTheMeshCanRoute() throws Exception {
    upstream("node1", 0, FakeUpstream.json("{}"));
    startIngress();

    HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/v1/models"))
        .GET().build(), ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"object\":\"list\"", "\"id\":\"" + MODEL + "\"");
  }

  @Test
  void noEligibleTargetGives503WithReasons() throws Exception {
    upstream("node1", 0, FakeUpstream.json("{}"));
    table.set(new RoutingTable(List.of(), List.of(), Set.of("node1"), 2));
    startIngress();

    HttpResponse<String> response = client.send(post(chat(false)), ofString());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("node1 (node draining)");
  }

  @Test
  void closeRefusesNewConnectionsAndLetsOpenStreamsFinish() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    upstream("node1", 0, exchange -> {
      OutputStream out = FakeUpstream.startSse(exchange, "{\"token\":\"a\"}");
      assertThat(release.await(20, TimeUnit.SECONDS)).isTrue();
      FakeUpstream.sse(out, "[DONE]");
      out.close();
    });
    startIngress(Duration.ofSeconds(60));
    HttpResponse<InputStream> open = client.send(post(chat(true)),
        HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader lines = new BufferedReader(
        new InputStreamReader(open.body(), StandardCharsets.UTF_8));
    assertThat(lines.readLine()).isEqualTo("data: {\"token\":\"a\"}");

    var closing = java.util.concurrent.CompletableFuture.runAsync(ingress::close);
    HttpClient fresh = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThatThrownBy(() -> fresh.send(post(chat(false)), ofString()))
            .isInstanceOf(IOException.class));
    fresh.close();
    assertThat(closing).isNotDone();

    release.countDown();
    assertThat(lines.readLine()).isEmpty();
    assertThat(lines.readLine()).isEqualTo("data: [DONE]");
    closing.get(20, TimeUnit.SECONDS);
  }

  @Test
  void closeDoesNotWaitForAnExchangeAbortedOnPurpose() throws Exception {
    upstream("node1", 0, exchange -> {
      FakeUpstream.startSse(exchange, "{\"token\":\"Hel\"}");
      throw new IOException("runtime crashed mid-stream");
    });
    startIngress(Duration.ofSeconds(60));
    HttpResponse<InputStream> response = client.send(post(chat(true)),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(IOException.class);

    // The JDK server never counts an aborted exchange out; a drain that trusted its count
    // would wait the whole 60 s here.
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> ingress.close());
  }

  @Test
  void eachProxiedRequestHasASpanWithTheChosenTargetAndItsScore() throws Exception {
    List<io.opentelemetry.sdk.trace.data.SpanData> spans =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    io.opentelemetry.sdk.trace.export.SpanExporter collecting =
        new io.opentelemetry.sdk.trace.export.SpanExporter() {
          @Override
          public io.opentelemetry.sdk.common.CompletableResultCode export(
              java.util.Collection<io.opentelemetry.sdk.trace.data.SpanData> batch) {
            spans.addAll(batch);
            return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
          }

          @Override
          public io.opentelemetry.sdk.common.CompletableResultCode flush() {
            return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
          }

          @Override
          public io.opentelemetry.sdk.common.CompletableResultCode shutdown() {
            return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
          }
        };
    var provider = io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
        .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
            collecting)).build();
    closeables.add(provider::close);
    tracer = provider.get("test");
    upstream("node1", 0, FakeUpstream.json("{}"));
    startIngress();

    client.send(post(chat(false), "team-a"), ofString());

    await().atMost(Duration.ofSeconds(10)).until(() -> !spans.isEmpty());
    var attributes = spans.getFirst().getAttributes();
    assertThat(spans.getFirst().getName()).isEqualTo("meshd.router /v1/chat/completions");
    assertThat(attributes.get(io.opentelemetry.api.common.AttributeKey.stringKey("meshd.model")))
        .isEqualTo(MODEL);
    assertThat(attributes.get(io.opentelemetry.api.common.AttributeKey.stringKey("meshd.tenant")))
        .isEqualTo("team-a");
    assertThat(attributes.get(io.opentelemetry.api.common.AttributeKey.stringKey("meshd.target")))
        .startsWith("node1/");
    assertThat(attributes.get(io.opentelemetry.api.common.AttributeKey.doubleKey("meshd.score")))
        .isNotNull();
  }

  private FakeUpstream upstream(String node, double queue, FakeUpstream.Behaviour behaviour)
      throws IOException {
    FakeUpstream upstream = new FakeUpstream(behaviour);
    closeables.add(upstream);
    CapabilityRecord record = new CapabilityRecord(CapabilityRecord.SCHEMA_VERSION, node,
        "host-" + node, "z1", "r1", Map.of(), Set.of("gpu"), "test", 1, "", "", "", List.of(),
        List.of(new RuntimeInfo(RuntimeKind.VLLM, upstream.endpoint(), List.of(MODEL))));
    members.add(new FleetMember(record, MemberState.ALIVE, T0, T0, T0));
    signals.put(node, List.of(new AgedSignal(RuntimeSignal.healthy(RuntimeKind.VLLM,
        upstream.endpoint(), List.of(new ModelLoad(MODEL, queue, 0, OptionalDouble.empty())),
        T0), Duration.ofMillis(50))));
    return upstream;
  }

  private void policy(Policy policy) {
    table.set(new RoutingTable(List.of(policy), List.of(), Set.of(), policy.revision()));
  }

  private void startIngress() throws IOException {
    startIngress(Duration.ofSeconds(1));
  }

  private void startIngress(Duration drainTimeout) throws IOException {
    DispatchLedger ledger = DispatchLedger.system();
    Router router = new Router(new Strategies(new Random(1)),
        new CandidateBuilder(node -> signals.getOrDefault(node, List.of()), ledger,
            RouterSettings.DEFAULTS.staleAfter()), table::get,
        () -> List.copyOf(members), () -> RouterSettings.DEFAULTS, System::nanoTime);
    ingress = IngressServer.start(
        IngressSettings.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .withDrainTimeout(drainTimeout),
        router, () -> new RouteRequest.Origin("node1", "host-node1", "z1", "r1"), ledger,
        new IngressMetrics(registry), tracer);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + ingress.address().getPort() + path);
  }

  private static String chat(boolean stream) {
    return "{\"model\":\"" + MODEL + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  private HttpRequest post(String body) {
    return postRaw(body);
  }

  private HttpRequest post(String body, String tenant) {
    return HttpRequest.newBuilder(uri("/v1/chat/completions"))
        .header("Content-Type", "application/json")
        .header(TenantResolver.TENANT_HEADER, tenant)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private HttpRequest postRaw(String body) {
    return HttpRequest.newBuilder(uri("/v1/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString();
  }

  private double counter(String name, String... tags) {
    var search = registry.find(name);
    if (tags.length > 0) {
      search = search.tags(tags);
    }
    var counter = search.counter();
    return counter == null ? 0 : counter.count();
  }
}
