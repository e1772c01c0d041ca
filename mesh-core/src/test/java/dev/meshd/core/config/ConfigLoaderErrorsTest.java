package dev.meshd.core.config;

import static dev.meshd.core.config.ConfigFiles.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.testkit.TestCertificateAuthority;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input names the file, the line and the key, and says what was expected. */
class ConfigLoaderErrorsTest {

  @TempDir Path dir;

  private ConfigFiles files;

  @BeforeEach
  void setUp() {
    files = new ConfigFiles(dir, Map.of());
  }

  @Test
  void unknownKeySuggestsTheClosestKnownOne() {
    ConfigException e = files.failure("""
        node:
          id: n1
          zonee: z1
        listen:
          grcp: 127.0.0.1:7070
        """);

    assertError(e, 3, "node.zonee", "unknown key", "did you mean zone?");
    assertError(e, 5, "listen.grcp", "unknown key", "did you mean grpc?");
    assertThat(e.getMessage()).contains("bad.yaml:3:3: node.zonee: unknown key");
  }

  @Test
  void unknownTopLevelKeyListsTheKnownOnes() {
    ConfigException e = files.failure("""
        node: {id: n1}
        nodes: {id: n2}
        wibble: 1
        """);

    assertError(e, 2, "nodes", "unknown key", "did you mean node?");
    assertError(e, 3, "wibble", "unknown key (expected: one of node, listen, gossip");
  }

  @Test
  void wrongTypesNameTheKeyAndWhatWasExpected() {
    ConfigException e = files.failure("""
        node:
          id: n1
          labels: [a, b]
          roles: gpu
        listen: "127.0.0.1:7070"
        gpus:
          source: simulated
          simulated:
            - {model: H100, count: eight, vram-gb: 80}
            - {model: H100, count: 2.5, vram-gb: lots}
            - just-a-string
        runtimes: {kind: vllm}
        """);

    assertError(e, 3, "node.labels", "a list (expected: a mapping");
    assertError(e, 4, "node.roles", "\"gpu\" (expected: a list");
    assertError(e, 5, "listen", "\"127.0.0.1:7070\" (expected: a mapping");
    assertError(e, 9, "gpus.simulated[0].count", "\"eight\" (expected: an integer >= 1)");
    assertError(e, 10, "gpus.simulated[1].count", "\"2.5\" (expected: an integer >= 1)");
    assertError(e, 10, "gpus.simulated[1].vram-gb", "\"lots\" (expected: a number > 0)");
    assertError(e, 11, "gpus.simulated[2]", "\"just-a-string\" (expected: a mapping");
    assertError(e, 12, "runtimes", "a mapping (expected: a list");
    // A wrong list item is not also reported as "gpus.simulated: missing".
    assertThat(e.errors()).noneMatch(err -> err.message().startsWith("missing"));
  }

  @Test
  void scalarWhereAMappingOrListStandsIsReported() {
    ConfigException e = files.failure("""
        node:
          id: {name: n1}
        """);

    assertError(e, 2, "node.id", "a mapping (expected: a single value)");
  }

  @Test
  void badHostPortSaysHostColonPortIsExpected() {
    ConfigException e = files.failure("""
        node: {id: n1}
        listen:
          grpc: 127.0.0.1
          raft: 127.0.0.1:70000
        gossip:
          seeds: [10.0.0.1:7946, 10.0.0.2]
        """);

    assertError(e, 3, "listen.grpc", "\"127.0.0.1\" (expected: host:port)");
    assertThat(e.getMessage())
        .contains("bad.yaml:3:3: listen.grpc: \"127.0.0.1\" (expected: host:port)");
    assertError(e, 4, "listen.raft", "port 70000 (expected: 1-65535)");
    assertError(e, 6, "gossip.seeds[1]", "\"10.0.0.2\" (expected: host:port)");
  }

  @Test
  void twoTcpListenersOnOnePortClash() {
    ConfigException e = files.failure("""
        node: {id: n1}
        listen:
          grpc: 127.0.0.1:7000
          gossip: 127.0.0.1:7001
          raft: 127.0.0.1:7000
          metrics: 0.0.0.0:7001
          router: 10.1.1.1:7002
          fabric: 127.0.0.1:7000
        """);

    assertError(e, 5, "listen.raft", "\"127.0.0.1:7000\" (expected: a port no other TCP "
        + "listener uses; listen.grpc is 127.0.0.1:7000)");
    // The wildcard address binds every interface, so it clashes with any host.
    assertError(e, 6, "listen.metrics", "listen.gossip is 127.0.0.1:7001");
    // fabric is UDP (QUIC): sharing a number with a TCP listener is fine.
    assertThat(e.errors()).hasSize(2);
  }

  @Test
  void aMissingOrMalformedClusterKeyIsReportedAtItsLineWithTheFilesOtherProblems()
      throws Exception {
    java.nio.file.Files.writeString(dir.resolve("short.key"), "# demo\nc2hvcnQ=\n");
    ConfigException e = files.failure("""
        node: {id: n1}
        listen:
          grpc: 127.0.0.1:7000
          raft: 127.0.0.1:7000
        security:
          cluster-key-file: missing.key
        """);

    assertError(e, 4, "listen.raft", "listen.grpc is 127.0.0.1:7000");
    assertError(e, 6, "security.cluster-key-file",
        dir.resolve("missing.key").toAbsolutePath().normalize() + ": cluster key file not found");
    assertThat(e.errors()).hasSize(2);

    ConfigException malformed = files.failure("""
        node: {id: n1}
        security: {cluster-key-file: short.key}
        """);
    assertError(malformed, 2, "security.cluster-key-file",
        "short.key:2: decodes to 5 bytes (expected: 32)");
  }

  @Test
  void controlNodeMustBeAmongItsRaftPeersAtItsRaftPort() {
    ConfigException missing = files.failure("""
        node: {id: n1, roles: [control]}
        listen: {raft: 127.0.0.1:7071}
        raft:
          peers: [n2@127.0.0.1:7081]
        """);
    assertError(missing, 4, "raft.peers", "expected: the voters, this control node among them, "
        + "e.g. n1@127.0.0.1:7071");

    ConfigException wrongPort = files.failure("""
        node: {id: n1, roles: [control]}
        listen: {raft: 127.0.0.1:7071}
        raft:
          peers: [n1@127.0.0.1:7999, n2@127.0.0.1:7081]
        """);
    assertError(wrongPort, 4, "raft.peers", "n1@127.0.0.1:7999 (expected: port 7071");
  }

  @Test
  void nodesWithoutControlRoleNeedNoRaftPeers() throws Exception {
    assertThat(files.load("""
        node: {id: n1, roles: [gpu, router]}
        gpus: {source: simulated, simulated: [{model: X, vram-gb: 1}]}
        """).raft().peers()).isEmpty();
  }

  @Test
  void clashWithADefaultPortSaysItIsTheDefault() {
    ConfigException e = files.failure("""
        node: {id: n1}
        listen:
          grpc: 127.0.0.1:9464
        """);

    assertError(e, 2, "listen.metrics", "default \"127.0.0.1:9464\"", "listen.grpc is");
  }

  @Test
  void missingNodeIdIsReportedAtTheNodeSection() {
    ConfigException e = files.failure("""
        node:
          zone: z1
        """);

    assertError(e, 1, "node.id", "missing (expected: a unique node id");
  }

  @Test
  void missingNodeSectionIsReportedAtTheTopOfTheFile() {
    ConfigException e = files.failure("""
        logging: {level: info}
        """);

    assertError(e, 1, "node.id", "missing");
  }

  @Test
  void nodeIdMustBeSafeInPeerStringsAndLabels() {
    ConfigException e = files.failure("""
        node: {id: "node 1"}
        """);

    assertError(e, 1, "node.id", "\"node 1\" (expected: letters, digits");
  }

  @Test
  void simulatedSourceRequiresSimulatedGpus() {
    ConfigException missing = files.failure("""
        node: {id: n1}
        gpus:
          source: simulated
        """);
    assertError(missing, 2, "gpus.simulated", "missing (expected: a list such as");

    ConfigException empty = files.failure("""
        node: {id: n1}
        gpus:
          source: simulated
          simulated: []
        """);
    assertError(empty, 4, "gpus.simulated", "empty (expected: a list such as");
  }

  @Test
  void simulatedGpuNeedsModelAndMemory() {
    ConfigException e = files.failure("""
        node: {id: n1}
        gpus:
          source: simulated
          simulated:
            - {count: 2}
            - {model: X, vram-gb: -1}
        """);

    assertError(e, 5, "gpus.simulated[0].model", "missing");
    assertError(e, 5, "gpus.simulated[0].vram-gb", "missing");
    assertError(e, 6, "gpus.simulated[1].vram-gb", "-1 (expected: a number > 0)");
  }

  @Test
  void badEnumValuesListTheAllowedOnes() {
    ConfigException e = files.failure("""
        node: {id: n1, roles: [gpu, routr]}
        gossip: {profile: wan}
        gpus: {source: cuda}
        runtimes:
          - {kind: triton, endpoint: http://127.0.0.1:8000}
        logging:
          level: verbose
          format: xml
        """);

    assertError(e, 1, "node.roles[1]",
        "\"routr\" (expected: one of gpu, router, control; did you mean router?)");
    assertError(e, 2, "gossip.profile", "\"wan\" (expected: one of local, lan");
    assertError(e, 3, "gpus.source",
        "\"cuda\" (expected: one of auto, nvml, nvidia-smi, simulated)");
    assertError(e, 5, "runtimes[0].kind", "\"triton\" (expected: one of vllm, sglang, tgi)");
    assertError(e, 7, "logging.level",
        "\"verbose\" (expected: one of error, warn, info, debug, trace)");
    assertError(e, 8, "logging.format", "\"xml\" (expected: one of text, json)");
  }

  @Test
  void fabricOrderTakesKnownGroupsOnceEach() {
    ConfigException e = files.failure("""
        node: {id: n1}
        fabric:
          order:
            - nvlink
            - infiniband
            - nvlink
        """);

    assertError(e, 5, "fabric.order[1]",
        "\"infiniband\" (expected: one of nvlink, xgmi, rdma, libfabric-tcp, quic)");
    assertError(e, 6, "fabric.order[2]",
        "\"nvlink\" (expected: each transport group once; fabric.order[0] has it)");
  }

  @Test
  void emptyFabricOrderLeavesNoTransport() {
    ConfigException e = files.failure("""
        node: {id: n1}
        fabric: {order: []}
        """);

    assertError(e, 2, "fabric.order", "empty (expected: transport groups");
  }

  @Test
  void badDurationsNameTheKey() {
    ConfigException e = files.failure("""
        node: {id: n1}
        gpus:
          refresh-interval: 5
          probe-timeout: 0s
          record-usage-interval: 1 minute
        gossip: {sync-interval: 5 minutes}
        """);

    assertError(e, 3, "gpus.refresh-interval", "\"5\" (expected: a duration such as 250ms");
    assertError(e, 4, "gpus.probe-timeout", "\"0s\" (expected: a duration > 0)");
    assertError(e, 5, "gpus.record-usage-interval", "\"1 minute\" (expected: a duration");
    assertError(e, 6, "gossip.sync-interval", "\"5 minutes\" (expected: a duration");
  }

  @Test
  void pingTimeoutMustStayBelowPingIntervalAndTheOverrideIsNamed() {
    ConfigException timeout = files.failure("""
        node: {id: n1}
        gossip:
          profile: lan
          ping-timeout: 2s
        """);
    assertError(timeout, 4, "gossip.ping-timeout",
        "2s (expected: less than ping-interval 1s) (profile lan)");

    ConfigException interval = files.failure("""
        node: {id: n1}
        gossip:
          profile: local
          ping-interval: 200ms
        """);
    assertError(interval, 4, "gossip.ping-interval",
        "200ms (expected: more than ping-timeout 300ms) (profile local)");
  }

  @Test
  void staleAfterMustExceedTheSignalHeartbeatAndTheKeySetIsNamed() {
    ConfigException stale = files.failure("""
        node: {id: n1, roles: [router]}
        router:
          stale-after: 1s
        """);
    assertError(stale, 3, "router.stale-after",
        "1s (expected: more than router.signal-heartbeat 1s)");

    ConfigException heartbeat = files.failure("""
        node: {id: n1}
        router:
          signal-heartbeat: 5s
        """);
    assertError(heartbeat, 3, "router.signal-heartbeat",
        "5s (expected: less than router.stale-after 2s)");

    ConfigException zero = files.failure("""
        node: {id: n1}
        router: {signal-heartbeat: 0s, stale-after: soon}
        """);
    assertError(zero, 2, "router.signal-heartbeat", "\"0s\" (expected: a duration > 0)");
    assertError(zero, 2, "router.stale-after", "\"soon\" (expected: a duration");
  }

  @Test
  void ingressKeysNameTheirProblem() {
    ConfigException e = files.failure("""
        node: {id: n1, roles: [router]}
        router:
          stale-signals: ignore
          max-attempts: 11
          drain-timeout: forever
        """);
    assertError(e, 3, "router.stale-signals", "\"ignore\"");
    assertError(e, 4, "router.max-attempts", "11 (expected: 1-10)");
    assertError(e, 5, "router.drain-timeout", "\"forever\" (expected: a duration");
  }

  @Test
  void gossipCountsHaveLowerBounds() {
    ConfigException e = files.failure("""
        node: {id: n1}
        gossip: {ping-req-members: -1, suspicion-mult: 0, gossip-fanout: many}
        """);

    assertError(e, 2, "gossip.ping-req-members", "-1 (expected: an integer >= 0)");
    assertError(e, 2, "gossip.suspicion-mult", "0 (expected: an integer >= 1)");
    assertError(e, 2, "gossip.gossip-fanout", "\"many\" (expected: an integer >= 1)");
  }

  @Test
  void runtimeEndpointMustBeAnHttpUrlWithAHost() {
    ConfigException e = files.failure("""
        node: {id: n1}
        runtimes:
          - {kind: vllm, endpoint: "ftp://127.0.0.1:8000"}
          - {kind: vllm, endpoint: "127.0.0.1:8000"}
          - {kind: vllm, endpoint: "http://"}
          - {kind: vllm}
        telemetry: {otlp-endpoint: collector:4318}
        """);

    assertError(e, 3, "runtimes[0].endpoint",
        "\"ftp://127.0.0.1:8000\" (expected: an http:// or https:// URL with a host)");
    assertError(e, 4, "runtimes[1].endpoint", "\"127.0.0.1:8000\"", "(expected: an http://");
    assertError(e, 5, "runtimes[2].endpoint", "\"http://\"", "(expected: an http://");
    assertError(e, 6, "runtimes[3].endpoint", "missing (expected: the runtime's base URL");
    assertError(e, 7, "telemetry.otlp-endpoint", "(expected: an http:// or https:// URL");
  }

  @Test
  void raftPeersAreIdAtHostPortWithDistinctIds() {
    ConfigException e = files.failure("""
        node: {id: n1}
        raft:
          peers:
            - n1@127.0.0.1:7071
            - n2-127.0.0.1:7081
            - n3@127.0.0.1
            - n1@127.0.0.1:7091
        """);

    assertError(e, 5, "raft.peers[1]", "\"n2-127.0.0.1:7081\" (expected: id@host:port)");
    assertError(e, 6, "raft.peers[2]", "\"127.0.0.1\" (expected: host:port)");
    assertError(e, 7, "raft.peers[3]", "(expected: each peer id once; raft.peers[0] has it)");
  }

  @Test
  void duplicateKeysNameBothLines() {
    ConfigException e = files.failure("""
        node:
          id: a
          zone: z1
          id: b
        """);

    assertError(e, 4, "node.id", "duplicate key (expected: once per mapping; first at line 2)");
  }

  @Test
  void yamlAliasesAreRefused() {
    ConfigException e = files.failure("""
        node:
          id: &name n1
          zone: *name
        """);

    assertError(e, 3, "node.zone", "*name (expected: a value; YAML aliases are not supported)");
  }

  @Test
  void emptyFileSaysWhatIsExpected() {
    ConfigException empty = files.failure("");
    assertError(empty, 1, "", "empty file (expected: a YAML mapping with at least node.id)");

    ConfigException commentsOnly = files.failure("# nothing here\n\n");
    assertError(commentsOnly, 1, "", "empty file");
  }

  @Test
  void fileThatIsNotAMappingIsRefused() {
    ConfigException e = files.failure("""
        - node
        - listen
        """);

    assertError(e, 1, "", "a list (expected: a mapping with keys such as node");
  }

  @Test
  void invalidValueIsNotAlsoReportedAsAPortClash() {
    ConfigException e = files.failure("""
        node: {id: n1}
        listen:
          grpc: 127.0.0.1
          raft: 127.0.0.1:7070
        """);

    assertThat(e.errors()).singleElement()
        .satisfies(err -> assertThat(err.key()).isEqualTo("listen.grpc"));
  }

  @Test
  void unquotedSubstitutionInAFlowCollectionGetsAHint() {
    ConfigException e = files.failure("""
        node: {id: n1}
        gossip: {seeds: ${SEEDS}}
        """);

    assertError(e, 2, "", "not valid YAML", "must be quoted: \"${NAME}\"");
  }

  @Test
  void invalidYamlReportsTheParsersLine() {
    ConfigException e = files.failure("""
        node:
          id: n1
          roles: [gpu, router
        listen:
          grpc: 127.0.0.1:7070
        """);

    assertThat(e.errors()).hasSize(1);
    assertThat(e.errors().getFirst().line()).isBetween(3, 4);
    assertThat(e.getMessage()).contains("bad.yaml:").contains(": not valid YAML: ")
        .doesNotContain("\n");

    ConfigException tab = files.failure("node:\n\tid: n1\n");
    assertError(tab, 2, "", "not valid YAML", "TAB");
  }

  @Test
  void secondYamlDocumentIsRefused() {
    ConfigException e = files.failure("""
        node: {id: n1}
        ---
        node: {id: n2}
        """);

    assertError(e, 3, "", "a second YAML document (expected: one document per file)");
  }

  @Test
  void missingFileGivesAClearMessageWithoutLine() {
    Path file = dir.resolve("nope.yaml");

    ConfigException e = null;
    try {
      ConfigLoader.load(file, Map.of(), () -> "h");
    } catch (ConfigException thrown) {
      e = thrown;
    }

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).isEqualTo(file + ": no such file (expected: an agent config, "
        + "e.g. examples/node1.yaml)");
    assertThat(e.getStackTrace()).isEmpty();
    assertThat(e.errors()).singleElement()
        .satisfies(err -> assertThat(err.line()).isZero());
  }

  @Test
  void directoryIsNotAConfigFile() {
    ConfigException e = null;
    try {
      ConfigLoader.load(dir, Map.of(), () -> "h");
    } catch (ConfigException thrown) {
      e = thrown;
    }

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).endsWith(": is a directory (expected: a YAML config file)");
  }

  @Test
  void gpuToolPathsMustBeUsable() {
    ConfigException e = files.failure("""
        node: {id: n1}
        gpus:
          nvidia-smi: ""
          nvml-library: "lib\\0nvml.so"
        """);

    assertError(e, 3, "gpus.nvidia-smi", "\"\" (expected: a program or library name");
    assertError(e, 4, "gpus.nvml-library", "(expected: a program or library name");
  }

  @Test
  void tlsNeedsCertAndKey() {
    ConfigException e = files.failure("""
        node: {id: n1}
        security:
          tls: {ca: ca.pem}
        """);

    assertError(e, 3, "security.tls.cert", "missing (expected: a PEM certificate file)");
    assertError(e, 3, "security.tls.key", "missing (expected: a PEM private key file)");
  }

  @Test
  void unreadableOrInvalidTlsFilesAreReportedAtTheKeyThatNamesThem() throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("test-ca");
    TestCertificateAuthority.Issued agent = ca.issue(dir, "agent");
    TestCertificateAuthority.Issued other = ca.issue(dir, "other");
    Path root = dir.toAbsolutePath().normalize();
    java.nio.file.Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
    java.nio.file.Files.writeString(dir.resolve("sec1.key"),
        "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");

    ConfigException e = files.failure("""
        node: {id: n1}
        security:
          tls:
            cert: garbage.pem
            key: missing.key
            ca: agent.key
        """);
    assertError(e, 4, "security.tls.cert",
        root.resolve("garbage.pem") + ": no PEM certificate found");
    assertError(e, 5, "security.tls.key", root.resolve("missing.key") + ": file not found");
    assertError(e, 6, "security.tls.ca", root.resolve("agent.key") + ": no PEM certificate");
    assertThat(e.errors()).hasSize(3);

    ConfigException wrongKey = files.failure("""
        node: {id: n1}
        security:
          tls: {cert: %s, key: %s}
        """.formatted(agent.cert().getFileName(), other.key().getFileName()));
    assertError(wrongKey, 3, "security.tls.key",
        root.resolve("other.key") + ": not the private key of the certificate in "
            + root.resolve("agent.crt"));

    ConfigException pkcs1 = files.failure("""
        node: {id: n1}
        security:
          tls: {cert: agent.crt, key: sec1.key}
        """);
    assertError(pkcs1, 3, "security.tls.key",
        "-----BEGIN EC PRIVATE KEY----- is not supported (expected: PKCS#8",
        "openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void aTlsCertificateMustNameEveryHostThisAgentIsDialledAt() throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("test-ca");
    ca.issue(dir, "node1", List.of("10.0.0.11", "node1.example.internal"));
    Path cert = dir.toAbsolutePath().normalize().resolve("node1.crt");

    // The peers dial listen.grpc, and the other voters dial this voter's raft.peers entry.
    ConfigException e = files.failure("""
        node: {id: node1, roles: [control]}
        listen: {grpc: "10.0.0.12:7070", raft: "10.0.0.13:7071"}
        raft: {peers: ["node1@10.0.0.13:7071", "node2@10.0.0.14:7071"]}
        security:
          tls: {cert: node1.crt, key: node1.key}
        """);
    assertError(e, 5, "security.tls.cert", cert + " names [IP:10.0.0.11, "
        + "DNS:node1.example.internal] but not 10.0.0.12, the host of listen.grpc, where the "
        + "other agents and mesh-cli dial this agent and check the certificate (expected: a "
        + "subjectAltName IP:10.0.0.12)");
    assertError(e, 5, "security.tls.cert", "but not 10.0.0.13, the host of node1's raft.peers "
        + "entry, where the other voters dial this one");
    assertThat(e.errors()).hasSize(2);

    ConfigException byName = files.failure("""
        node: {id: node1}
        listen: {grpc: "node1.example.org:7070"}
        security:
          tls: {cert: node1.crt, key: node1.key}
        """);
    assertError(byName, 4, "security.tls.cert",
        "but not node1.example.org", "(expected: a subjectAltName DNS:node1.example.org)");
  }

  @Test
  void aTlsCertificateOutsideItsValidityPeriodIsRefusedAtLoad() throws Exception {
    // Valid from an hour ago for a day (TestCertificateAuthority's period).
    TestCertificateAuthority.create("test-ca").issue(dir, "agent");
    Path config = files.write("bad.yaml", """
        node: {id: n1}
        security:
          tls: {cert: agent.crt, key: agent.key}
        """);
    Path cert = dir.toAbsolutePath().normalize().resolve("agent.crt");
    Instant now = Instant.now();

    ConfigException expired = loadAt(config, now.plus(Duration.ofDays(2)));
    assertError(expired, 3, "security.tls.cert", cert + " expired at ",
        "renew it: every peer refuses it");
    ConfigException early = loadAt(config, now.minus(Duration.ofDays(1)));
    assertError(early, 3, "security.tls.cert", cert + " is not valid before ",
        "is this host's clock right?");
    assertThat(ConfigLoader.load(config, Map.of(), () -> "h", Clock.fixed(now, ZoneOffset.UTC))
        .security().tls()).isPresent();
  }

  private static ConfigException loadAt(Path config, Instant now) {
    return org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.load(config, Map.of(), () -> "h", Clock.fixed(now, ZoneOffset.UTC)));
  }

  @Test
  void aCertificateNamingItsHostsLoadsAndAWildcardBindIsNotChecked() throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("test-ca");
    ca.issue(dir, "node1", List.of("10.0.0.11", "NODE1.example.internal"));

    assertThat(files.load("""
        node: {id: node1, roles: [control]}
        listen: {grpc: "node1.example.internal:7070", raft: "10.0.0.11:7071"}
        raft: {peers: ["node1@10.0.0.11:7071"]}
        security:
          tls: {cert: node1.crt, key: node1.key}
        """).security().tls()).isPresent();
    // Bound to every interface, the agent is dialled at an address it advertises: not known
    // from the config, so not checked.
    assertThat(files.load("""
        node: {id: node1}
        listen: {grpc: "0.0.0.0:7070"}
        security:
          tls: {cert: node1.crt, key: node1.key}
        """).security().tls()).isPresent();
  }

  @Test
  void everyProblemIsReportedOncePerLineInFileOrder() {
    ConfigException e = files.failure("""
        logging: {level: loud}
        node:
          id: n1
          rolez: [gpu]
        listen: {grpc: nowhere}
        """);

    assertThat(e.errors()).extracting(ConfigError::line).containsExactly(1, 4, 5);
    assertThat(e.getMessage().lines()).hasSize(3);
    assertThat(e.getMessage().lines().toList().get(1))
        .isEqualTo(dir.resolve("bad.yaml") + ":4:3: node.rolez: unknown key (expected: one of "
            + "id, host-id, zone, region, labels, roles; did you mean roles?)");
  }
}
