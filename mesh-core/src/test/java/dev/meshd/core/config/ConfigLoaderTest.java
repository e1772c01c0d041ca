package dev.meshd.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.security.ClusterKey;
import dev.meshd.testkit.TestCertificateAuthority;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  private ConfigFiles files;

  @BeforeEach
  void setUp() {
    files = new ConfigFiles(dir, Map.of());
  }

  @Test
  void fullConfigReadsIntoTheExpectedRecords() throws Exception {
    files.write("cluster.key", ClusterKey.generate(new SecureRandom()).encoded() + "\n");
    TestCertificateAuthority.create("test-ca").issue(dir.resolve("tls"), "agent");
    AgentConfig config = files.load("""
        node:
          id: node1
          host-id: host-a
          zone: z1
          region: r1
          labels: {team: infra, tier: "1"}
          roles: [gpu, router, control]
        listen:
          grpc: 127.0.0.1:7070
          gossip: 10.0.0.1:7946
          raft: 127.0.0.1:7071
          metrics: 0.0.0.0:9464
          router: 127.0.0.1:8080
          fabric: 127.0.0.1:7070      # UDP: may share a number with a TCP listener
        gossip:
          seeds: [10.0.0.1:7946, "[fd00::1]:7946"]
          profile: local
          ping-interval: 2s
          suspicion-mult: 5
        raft:
          data-dir: ./data/node1
          peers: [node1@127.0.0.1:7071, node2@127.0.0.1:7081]
          snapshot-threshold: 500
        gpus:
          source: simulated
          simulated:
            - {model: H100-80GB, count: 8, vram-gb: 80}
            - {model: A100-40GB, vram-gb: 40.5, mig-profile: 1g.5gb}
          nvidia-smi: bin/nvidia-smi
          nvml-library: libnvidia-ml.so.1
          refresh-interval: 1s
          probe-timeout: 3s
          record-usage-interval: 30s
        runtimes:
          - kind: vllm
            endpoint: http://127.0.0.1:8000
            models: [llama-3.1-8b]
          - {kind: tgi, endpoint: "https://tgi.internal:443", scrape-interval: 2s}
        fabric:
          order: [quic, rdma]
          rdma: {provider: verbs}
        telemetry:
          otlp-endpoint: http://collector:4318
          service-name: meshd-test
        security:
          tls: {cert: tls/agent.crt, key: tls/agent.key}
          tokens-file: tokens.yaml
          cluster-key-file: cluster.key
        logging:
          level: debug
          format: json
        router:
          signal-heartbeat: 500ms
          stale-after: 1500ms
          stale-signals: drop
          max-attempts: 2
          drain-timeout: 45s
        """);

    Path root = dir.toAbsolutePath().normalize();
    assertThat(config.source()).isEqualTo(root.resolve("agent.yaml"));
    assertThat(config.node()).isEqualTo(new NodeConfig("node1", "host-a", "z1", "r1",
        Map.of("team", "infra", "tier", "1"), Set.of(Role.GPU, Role.ROUTER, Role.CONTROL)));
    assertThat(config.listen()).isEqualTo(new ListenConfig(
        new HostPort("127.0.0.1", 7070), new HostPort("10.0.0.1", 7946),
        new HostPort("127.0.0.1", 7071), new HostPort("0.0.0.0", 9464),
        new HostPort("127.0.0.1", 8080), new HostPort("127.0.0.1", 7070)));
    GossipTuning local = GossipProfile.LOCAL.tuning();
    assertThat(config.gossip()).isEqualTo(new GossipConfig(
        List.of(new HostPort("10.0.0.1", 7946), new HostPort("fd00::1", 7946)),
        GossipProfile.LOCAL,
        new GossipTuning(Duration.ofSeconds(2), local.pingTimeout(), local.pingReqMembers(), 5,
            local.syncInterval(), local.gossipInterval(), local.gossipFanout(),
            local.metadataTimeout(), local.connectTimeout())));
    assertThat(config.raft()).isEqualTo(new RaftConfig(root.resolve("data/node1"), List.of(
        new RaftPeer("node1", new HostPort("127.0.0.1", 7071)),
        new RaftPeer("node2", new HostPort("127.0.0.1", 7081))), 500));
    assertThat(config.gpus()).isEqualTo(new GpusConfig(GpuSourceSetting.SIMULATED,
        List.of(new SimulatedGpuSpec("H100-80GB", 8, 80, ""),
            new SimulatedGpuSpec("A100-40GB", 1, 40.5, "1g.5gb")),
        root.resolve("bin/nvidia-smi"), "libnvidia-ml.so.1", Duration.ofSeconds(1),
        Duration.ofSeconds(3), Duration.ofSeconds(30)));
    assertThat(config.runtimes()).containsExactly(
        new RuntimeConfig(RuntimeKind.VLLM, URI.create("http://127.0.0.1:8000"),
            List.of("llama-3.1-8b")),
        new RuntimeConfig(RuntimeKind.TGI, URI.create("https://tgi.internal:443"), List.of(),
            Duration.ofSeconds(2)));
    assertThat(config.runtimes().getFirst().scrapeInterval())
        .isEqualTo(RuntimeConfig.DEFAULT_SCRAPE_INTERVAL);
    assertThat(config.runtimes().get(1).label()).isEqualTo("tgi@tgi.internal:443");
    assertThat(config.fabric()).isEqualTo(new FabricConfig(List.of("quic", "rdma"), "verbs"));
    assertThat(config.telemetry()).isEqualTo(
        new TelemetryConfig(Optional.of(URI.create("http://collector:4318")), "meshd-test"));
    assertThat(config.security()).isEqualTo(new SecurityConfig(
        Optional.of(new TlsConfig(root.resolve("tls/agent.crt"), root.resolve("tls/agent.key"),
            null)),
        Optional.of(root.resolve("tokens.yaml")),
        Optional.of(root.resolve("cluster.key"))));
    assertThat(config.logging()).isEqualTo(new LoggingConfig("debug", "json"));
    assertThat(config.router()).isEqualTo(
        new RouterConfig(Duration.ofMillis(500), Duration.ofMillis(1500), true, 2,
            Duration.ofSeconds(45)));
  }

  @Test
  void onlyNodeIdIsRequiredAndEverythingElseHasItsDefault() throws Exception {
    AgentConfig config = files.load("node: {id: n1}\n");

    Path root = dir.toAbsolutePath().normalize();
    assertThat(config.node()).isEqualTo(
        new NodeConfig("n1", ConfigFiles.HOST_ID, "", "", Map.of(), Set.of(Role.GPU)));
    assertThat(config.listen()).isEqualTo(new ListenConfig(
        new HostPort("127.0.0.1", 7070), new HostPort("127.0.0.1", 7946),
        new HostPort("127.0.0.1", 7071), new HostPort("127.0.0.1", 9464),
        new HostPort("127.0.0.1", 8080), new HostPort("127.0.0.1", 7072)));
    assertThat(config.gossip())
        .isEqualTo(new GossipConfig(List.of(), GossipProfile.LAN, GossipProfile.LAN.tuning()));
    assertThat(config.raft()).isEqualTo(new RaftConfig(root.resolve("data/n1"), List.of()));
    assertThat(config.gpus()).isEqualTo(new GpusConfig(GpuSourceSetting.AUTO, List.of(),
        Path.of("nvidia-smi"), "libnvidia-ml.so.1", Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(60)));
    assertThat(config.runtimes()).isEmpty();
    assertThat(config.fabric()).isEqualTo(new FabricConfig(FabricConfig.KNOWN_GROUPS, "auto"));
    assertThat(config.telemetry()).isEqualTo(new TelemetryConfig(Optional.empty(), "meshd"));
    assertThat(config.security())
        .isEqualTo(new SecurityConfig(Optional.empty(), Optional.empty(), Optional.empty()));
    assertThat(config.logging()).isEqualTo(new LoggingConfig("info", "text"));
    assertThat(config.router()).isEqualTo(new RouterConfig(Duration.ofSeconds(1),
        Duration.ofSeconds(2)));
  }

  @Test
  void explicitNullsMeanDefaultsAndAnEmptyRoleListMeansNoExtraRoles() throws Exception {
    AgentConfig config = files.load("""
        node: {id: n1, zone: ~, roles: []}
        telemetry: {otlp-endpoint: null}
        gpus:
        """);

    assertThat(config.node().zone()).isEmpty();
    assertThat(config.node().roles()).isEmpty();
    assertThat(config.telemetry().otlpEndpoint()).isEmpty();
    assertThat(config.gpus().source()).isEqualTo(GpuSourceSetting.AUTO);
  }

  @Test
  void relativePathsResolveAgainstTheConfigFilesDirectory() throws Exception {
    files.write("conf/sub/keys/cluster.key", ClusterKey.generate(new SecureRandom()).encoded() + "\n");
    Path file = files.write("conf/sub/agent.yaml", """
        node: {id: n1}
        raft: {data-dir: ../state}
        gpus: {nvidia-smi: nvidia-smi, nvml-library: ./lib/libnvidia-ml.so.1}
        security: {cluster-key-file: keys/cluster.key, tokens-file: /abs/tokens.yaml}
        """);

    AgentConfig config = ConfigLoader.load(file, Map.of(), () -> "h");

    Path confDir = dir.resolve("conf/sub").toAbsolutePath().normalize();
    assertThat(config.raft().dataDir()).isEqualTo(dir.resolve("conf/state").toAbsolutePath());
    assertThat(config.raft().dataDir()).isAbsolute();
    // A bare name is looked up on PATH at probe time, like a shell would.
    assertThat(config.gpus().nvidiaSmi()).isEqualTo(Path.of("nvidia-smi"));
    assertThat(config.gpus().nvmlLibrary())
        .isEqualTo(confDir.resolve("lib/libnvidia-ml.so.1").toString());
    assertThat(config.security().clusterKeyFile()).contains(confDir.resolve("keys/cluster.key"));
    assertThat(config.security().tokensFile()).contains(Path.of("/abs/tokens.yaml"));
  }

  @Test
  void defaultDataDirIsPerNodeUnderTheConfigDirectory() throws Exception {
    Path file = files.write("etc/node7.yaml", "node: {id: node7}\n");

    AgentConfig config = ConfigLoader.load(file, Map.of(), () -> "h");

    assertThat(config.raft().dataDir())
        .isEqualTo(dir.resolve("etc/data/node7").toAbsolutePath().normalize());
  }

  @Test
  void hostIdSupplierIsAskedOnlyWhenHostIdIsNotSet() throws Exception {
    AgentConfig config = ConfigLoader.load(
        files.write("a.yaml", "node: {id: n1, host-id: mine}\n"), Map.of(),
        () -> {
          throw new AssertionError("host-id is set: the machine must not be asked");
        });

    assertThat(config.node().hostId()).isEqualTo("mine");
  }

  @Test
  void gossipOverridesApplyOnTopOfTheChosenProfile() throws Exception {
    AgentConfig config = files.load("""
        node: {id: n1}
        gossip:
          profile: lan
          ping-interval: 1500ms
          ping-timeout: PT0.7S
          ping-req-members: 0
          sync-interval: 1m
          gossip-interval: 100ms
          gossip-fanout: 4
          metadata-timeout: 5s
          connect-timeout: 2s
        """);

    assertThat(config.gossip().tuning()).isEqualTo(new GossipTuning(Duration.ofMillis(1500),
        Duration.ofMillis(700), 0, GossipProfile.LAN.tuning().suspicionMult(),
        Duration.ofMinutes(1), Duration.ofMillis(100), 4, Duration.ofSeconds(5),
        Duration.ofSeconds(2)));
  }

  @Test
  void theExampleConfigsLoad() throws Exception {
    Path examples = Path.of("..", "examples");
    for (String name : List.of("node1.yaml", "node2.yaml", "node3.yaml")) {
      Path file = examples.resolve(name);
      if (Files.exists(file)) {
        AgentConfig config = ConfigLoader.load(file, Map.of(), () -> "h");
        assertThat(config.gpus().source()).isEqualTo(GpuSourceSetting.SIMULATED);
        assertThat(config.raft().peers()).hasSize(3);
      }
    }
  }

  @Test
  void durationsAcceptUnitsAndIso8601() {
    assertThat(ConfigLoader.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(ConfigLoader.parseDuration("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(ConfigLoader.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(ConfigLoader.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(ConfigLoader.parseDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(ConfigLoader.parseDuration("PT5S")).isEqualTo(Duration.ofSeconds(5));
    assertThat(ConfigLoader.parseDuration(" 0s ")).isZero();
  }

  @Test
  void durationsFormatInTheShortestFormTheyParseFrom() {
    for (String text : List.of("0s", "250ms", "5s", "2m", "1h", "1m30s", "1h2m3s4ms")) {
      assertThat(ConfigLoader.formatDuration(ConfigLoader.parseDuration(text))).isEqualTo(text);
    }
  }

  @Test
  void badDurationsSayWhatIsExpected() {
    for (String bad : List.of("5", "5 s", "5sec", "-5s", "PT-5S", "5d", "", "s", "P",
        "99999999999999999999s")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.parseDuration(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("(expected: a duration");
    }
  }
}
