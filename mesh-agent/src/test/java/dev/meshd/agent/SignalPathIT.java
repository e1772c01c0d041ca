package dev.meshd.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.meshd.agent.auth.TokenRegistry;
import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.GpusConfig;
import dev.meshd.core.config.NodeConfig;
import dev.meshd.core.config.Role;
import dev.meshd.core.config.RuntimeConfig;
import dev.meshd.core.config.SecurityConfig;
import dev.meshd.core.security.ClusterKey;
import dev.meshd.core.signal.AgedGpuSignal;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.proto.v1.GetNodeRequest;
import dev.meshd.proto.v1.MeshServiceGrpc;
import dev.meshd.proto.v1.Node;
import dev.meshd.proto.v1.SignalBatch;
import dev.meshd.proto.v1.SignalServiceGrpc;
import dev.meshd.proto.v1.WatchSignalsRequest;
import dev.meshd.router.Candidate;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.ScoredTarget;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router and two gpu agents in one JVM, with a cluster key and a tokens file: the gpu agents'
 * runtimes (a fake vLLM {@code /metrics} on loopback) reach the router over the signal streams,
 * and so does the decode rate each gpu agent measures from the runtime's generated-token counter,
 * and so do a simulated GPU's memory and utilization.
 */
class SignalPathIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String OPERATOR_TOKEN = "operator-secret-0123456789";
  /** How fast the fake runtime's one running request decodes, by the real clock. */
  private static final double TOKENS_PER_SECOND = 40;

  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final AtomicInteger queue = new AtomicInteger(3);
  private final long runtimeStartNanos = System.nanoTime();
  private HttpServer runtime;
  private SecurityConfig security;
  private ClusterKey key;

  @BeforeEach
  void setUp() throws Exception {
    runtime = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    runtime.createContext("/metrics", exchange -> {
      // One request running all along, decoding TOKENS_PER_SECOND since the runtime started.
      double generated = TOKENS_PER_SECOND * (System.nanoTime() - runtimeStartNanos) / 1e9;
      byte[] body = ("vllm:num_requests_waiting{model_name=\"m\"} " + queue.get() + "\n"
          + "vllm:num_requests_running{model_name=\"m\"} 1\n"
          + "vllm:kv_cache_usage_perc{model_name=\"m\"} 0.25\n"
          + "vllm:generation_tokens_total{model_name=\"m\"} "
          + String.format(Locale.ROOT, "%.3f", generated) + "\n")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    runtime.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    runtime.start();
    key = ClusterKey.generate(new SecureRandom());
    Path keyFile = Files.writeString(dir.resolve("cluster.key"), key.encoded() + "\n");
    Path tokens = Files.writeString(dir.resolve("tokens.yaml"),
        "tokens:\n  - {name: ops, role: operator, token: \"" + OPERATOR_TOKEN + "\"}\n");
    security = new SecurityConfig(Optional.empty(), Optional.of(tokens), Optional.of(keyFile));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
    runtime.stop(0);
  }

  @Test
  void aRuntimesChangeOnOneAgentIsSeenByTheRouterAndALeavingAgentStopsItsStream()
      throws Exception {
    MeshAgent router = start("r", Set.of(Role.ROUTER), null, false);
    MeshAgent g1 = start("g1", Set.of(Role.GPU), router, true);
    start("g2", Set.of(Role.GPU), router, true);

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(router.signalCollector().orElseThrow().streamingFrom())
          .containsExactly("g1", "g2");
      assertThat(queueOf(router, "g1")).isEqualTo(3);
    });

    queue.set(17);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(queueOf(router, "g1")).isEqualTo(17);
      assertThat(queueOf(router, "g2")).isEqualTo(17);
    });
    AgedSignal seen = router.signalView().signals("g1").getFirst();
    assertThat(seen.age()).isLessThan(Duration.ofSeconds(2));
    assertThat(seen.signal().load("m").orElseThrow().kvCacheUsage().getAsDouble())
        .isEqualTo(0.25);
    // The rate is measured on g1 between two of its scrapes (100 ms apart, timed by g1's clock
    // while the runtime's counter follows its own), so a window can be off by the scheduling
    // jitter of a loaded machine; a figure near the truth arrives within a few windows.
    await().atMost(WAIT).untilAsserted(() -> assertThat(decodeRateOf(router, "g1"))
        .isCloseTo(TOKENS_PER_SECOND, Percentage.withPercentage(20)));
    // g1 exports what it measured (unless its latest scrape just timed out on a loaded machine).
    await().atMost(WAIT).untilAsserted(() -> assertThat(g1.registry().scrape())
        .contains("meshd_runtime_decode_tokens_per_second{model=\"m\",node=\"g1\""));
    assertPromtoolAccepts(g1.registry().scrape(), "meshd_runtime");
    // A gpu agent holds its own signals only.
    assertThat(g1.signalView().signals("g1")).hasSize(1);
    assertThat(g1.signalView().signals("g2")).isEmpty();
    assertThat(g1.signalCollector()).isEmpty();
    assertThat(router.registry().scrape())
        .contains("meshd_signal_streams{direction=\"in\",node=\"r\"} 2.0")
        .contains("meshd_router_signal_age_seconds_count")
        .contains("meshd_signal_batches_received_total");
    assertPromtoolAccepts(router.registry().scrape(), "meshd_signal", "meshd_router_signal");

    g1.close();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(router.signalCollector().orElseThrow().streamingFrom()).containsExactly("g2");
      assertThat(router.signalView().signals("g1")).isEmpty();
    });
  }

  @Test
  void aGpusUsageReachesTheRouterOverTheStreamWhileTheGossipedRecordStaysBehind()
      throws Exception {
    MeshAgent router = start("r", Set.of(Role.ROUTER), null, false);
    TestConfigs.FakeGpus gpus = new TestConfigs.FakeGpus(1);
    // The record republishes usage alone at most hourly: what the router sees came by stream.
    start("g1", Set.of(Role.GPU), router, true, gpus, Duration.ofHours(1));
    await().atMost(WAIT).until(() -> !router.signalView().gpus("g1").isEmpty());

    gpus.usedBytes = 60_000_000_000L;
    gpus.utilization = 0.9;

    await().atMost(WAIT).untilAsserted(() -> {
      AgedGpuSignal seen = router.signalView().gpus("g1").getFirst();
      assertThat(seen.signal().uuid()).isEqualTo("GPU-fake-0");
      assertThat(seen.signal().vramUsedBytes()).isEqualTo(60_000_000_000L);
      assertThat(seen.signal().utilization()).isEqualTo(0.9);
      assertThat(seen.isStale(router.config().router().staleAfter())).isFalse();
    });
    assertThat(router.gossip().member("g1").orElseThrow().record().gpus().getFirst()
        .vramUsedBytes()).as("g1's record, as gossip brought it").isZero();
    // The router scores with the stream's figures...
    Candidate scored = router.routerPlane().router().orElseThrow().route(RouteRequest.of("m"))
        .ranked().stream().map(ScoredTarget::candidate)
        .filter(c -> c.nodeId().equals("g1")).findFirst().orElseThrow();
    assertThat(scored.gpuUtilization()).isEqualTo(0.9);
    assertThat(scored.vramFreeRatio()).isCloseTo(0.25, within(1e-9));
    // ... and list-nodes on it shows them.
    Node g1 = withToken(MeshServiceGrpc.newBlockingStub(channel(router)), OPERATOR_TOKEN)
        .getNode(GetNodeRequest.newBuilder().setId("g1").build());
    assertThat(g1.getGpus(0).getVramUsedBytes()).isEqualTo(60_000_000_000L);
    assertThat(g1.getGpus(0).getUtilization()).isEqualTo(0.9);
  }

  @Test
  void watchSignalsNeedsTheAgentCredential() throws Exception {
    MeshAgent g1 = start("g1", Set.of(Role.GPU), null, true);
    var stub = SignalServiceGrpc.newBlockingStub(channel(g1));
    WatchSignalsRequest request = WatchSignalsRequest.newBuilder().setSubscriber("test").build();

    assertThatThrownBy(() -> stub.watchSignals(request).next())
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
            e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    assertThatThrownBy(() -> withToken(stub, OPERATOR_TOKEN).watchSignals(request).next())
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
            e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));

    Iterator<SignalBatch> batches =
        withToken(stub, TokenRegistry.agentToken(key)).watchSignals(request);
    SignalBatch first = batches.next();
    assertThat(first.getNodeId()).isEqualTo("g1");
    assertThat(first.getSequence()).isEqualTo(1);
  }

  /**
   * The series named by {@code prefixes} follow Prometheus conventions, where promtool is
   * installed (CI installs it).
   */
  private void assertPromtoolAccepts(String scrape, String... prefixes) throws Exception {
    Optional<Path> promtool = java.util.Arrays.stream(
            System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .map(d -> Path.of(d, "promtool"))
        .filter(Files::isExecutable)
        .findFirst();
    if (promtool.isEmpty()) {
      return;
    }
    Path file = Files.writeString(Files.createTempFile(dir, "metrics", ".txt"), scrape);
    Process check = new ProcessBuilder(promtool.get().toString(), "check", "metrics")
        .redirectInput(file.toFile()).redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
    for (String prefix : prefixes) {
      assertThat(output).doesNotContain(prefix);
    }
  }

  private static <S extends io.grpc.stub.AbstractStub<S>> S withToken(S stub, String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + token);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private ManagedChannel channel(MeshAgent agent) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", agent.grpcPort())
        .usePlaintext().build();
    toClose.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }

  private static double queueOf(MeshAgent router, String nodeId) {
    List<AgedSignal> signals = router.signalView().signals(nodeId);
    return signals.isEmpty() ? -1
        : signals.getFirst().signal().load("m").map(l -> l.queueDepth()).orElse(-1.0);
  }

  private static double decodeRateOf(MeshAgent router, String nodeId) {
    List<AgedSignal> signals = router.signalView().signals(nodeId);
    return signals.isEmpty() ? -1 : signals.getFirst().signal().load("m")
        .map(l -> l.decodeTokensPerSecond().orElse(-1)).orElse(-1.0);
  }

  private MeshAgent start(String id, Set<Role> roles, MeshAgent seed, boolean withRuntime) {
    return start(id, roles, seed, withRuntime, new TestConfigs.FakeGpus(1), null);
  }

  /**
   * @param recordUsageInterval {@code gpus.record-usage-interval}; null: the test agents' own
   */
  private MeshAgent start(String id, Set<Role> roles, MeshAgent seed, boolean withRuntime,
      TestConfigs.FakeGpus gpus, Duration recordUsageInterval) {
    AgentConfig base = TestConfigs.agent(id, dir,
        seed == null ? List.of() : List.of(seed.config().listen().gossip()), Optional.empty());
    NodeConfig node = new NodeConfig(id, "host-" + id, "z1", "r1", java.util.Map.of(), roles);
    List<RuntimeConfig> runtimes = withRuntime
        ? List.of(new RuntimeConfig(RuntimeKind.VLLM,
            URI.create("http://127.0.0.1:" + runtime.getAddress().getPort()), List.of("m"),
            Duration.ofMillis(100)))
        : List.of();
    GpusConfig g = base.gpus();
    GpusConfig gpusConfig = recordUsageInterval == null ? g
        : new GpusConfig(g.source(), g.simulated(), g.nvidiaSmi(), g.nvmlLibrary(),
            g.refreshInterval(), g.probeTimeout(), recordUsageInterval);
    AgentConfig config = new AgentConfig(base.source(), node, base.listen(), base.gossip(),
        base.raft(), gpusConfig, runtimes, base.fabric(), base.telemetry(), security,
        base.logging());
    MeshAgent agent = new MeshAgent(config, gpus, Clock.systemUTC());
    toClose.add(agent);
    agent.start();
    return agent;
  }
}
