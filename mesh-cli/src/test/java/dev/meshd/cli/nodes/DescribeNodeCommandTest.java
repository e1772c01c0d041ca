package dev.meshd.cli.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DescribeNodeCommandTest {

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    agent.service().nodes(TestNodes.threeUnsorted());
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void tableDescribesEveryField() {
    Result result = cli.run("describe-node", "node-a");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .startsWith(
            """
            Node:             node-a
            Host ID:          host-a
            Address:          127.0.0.1:7070
            Gossip address:   127.0.0.1:7946
            Metrics address:  127.0.0.1:9464
            Zone:             z1
            Region:           r1
            Labels:           rack=r7
                              tier=gold
            Roles:            gpu, router
            State:            ALIVE since 2025-11-22T07:59:20Z (40s ago)
            Agent version:    0.1.0
            Record version:   7
            Last updated:     2025-11-22T07:59:55Z (5s ago)
            First seen:       2025-11-22T07:59:15Z (45s ago)
            GPUs:             8 (sim), 0.0/596.0 GiB
              INDEX   MODEL       UUID        VRAM           UTIL   MIG   HEALTHY   SOURCE
              0       H100-80GB   GPU-sim-0   0.0/74.5 GiB   0%     -     yes       SIMULATED
            """)
        .endsWith(
            """
            Runtimes:         1
              KIND   ENDPOINT                MODELS
              VLLM   http://127.0.0.1:8000   llama-3.1-8b,qwen2.5-7b
            Fabric:           -
            QUIC endpoint:    -
            Fabric reasons:   no /sys/class/infiniband
                              nvidia-smi not found on PATH
                              rocm-smi not found on PATH
            """);
    assertThat(result.out().lines().filter(line -> line.contains("GPU-sim-"))).hasSize(8);
  }

  @Test
  void tableShowsGpuUseHealthAndMig() {
    Result result = cli.run("describe-node", "node-b");

    assertThat(result.out())
        .contains("  0       L4      GPU-real-0   6.0/24.0 GiB   37%    -        yes       NVML")
        .contains("  1       L4      GPU-real-1   6.0/24.0 GiB   37%    1g.6gb   no        NVML")
        .contains("Labels:           -")
        .contains("Runtimes:         0");
  }

  @Test
  void theFabricSectionHasATablePerKindOfFactTheQuicEndpointAndTheReasons() {
    Result result = cli.run("describe-node", "node-b");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).endsWith("""
        Runtimes:         0
        Fabric:           RDMA_ROCE, LIBFABRIC_TCP, QUIC
        RDMA ports:       2
          DEVICE   PORT   STATE    PHYS       LINK LAYER   RATE
          mlx5_0   1      ACTIVE   LinkUp     Ethernet     100 Gb/s
          mlx5_1   1      DOWN     Disabled   Ethernet     2.5 Gb/s
        libfabric:        2
          PROVIDER        FABRIC        DOMAIN   ENDPOINT    CLASS
          verbs;ofi_rxm   fe80::/64     mlx5_0   FI_EP_RDM   RDMA_ROCE
          tcp             10.0.0.0/24   eth0     FI_EP_MSG   LIBFABRIC_TCP
        GPU peer links:   1
          GPU A   GPU B   KIND   LINKS
          0       1       PHB    -
        QUIC endpoint:    10.0.0.12:7072
                          sha256 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
        Fabric reasons:   rocm-smi not found on PATH
        """);
  }

  @Test
  void anAgentOlderThanTheFabricPartShowsDashes() {
    agent.service().nodes(java.util.List.of(TestNodes.nodeC()));

    Result result = cli.run("describe-node", "node-c");

    assertThat(result.out()).endsWith("""
        Fabric:           -
        QUIC endpoint:    -
        Fabric reasons:   -
        """);
  }

  @Test
  void jsonAndYamlAreTheNodeMessage() throws Exception {
    JsonNode json =
        new ObjectMapper().readTree(cli.run("describe-node", "node-c", "-o", "json").out());
    JsonNode yaml =
        new YAMLMapper().readTree(cli.run("describe-node", "node-c", "-o", "yaml").out());

    assertThat(json.get("id").asText()).isEqualTo("node-c");
    assertThat(json.get("state").asText()).isEqualTo("NODE_STATE_DEAD");
    assertThat(json.get("labels").isEmpty()).isTrue();
    assertThat(yaml).isEqualTo(json);
  }

  @Test
  void unknownNodeExitsOneWithTheServersWordsOnOneLine() {
    Result result = cli.run("describe-node", "x");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("not found: node \"x\"\n");
  }

  @Test
  void verboseAddsTheStackTrace() {
    Result result = cli.run("describe-node", "x", "--verbose");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("not found: node \"x\"\n")
        .contains("io.grpc.StatusRuntimeException: NOT_FOUND");
  }

  @Test
  void missingOrBlankIdIsAUsageError() {
    assertThat(cli.run("describe-node").exitCode()).isEqualTo(2);

    Result blank = cli.run("describe-node", " ");
    assertThat(blank.exitCode()).isEqualTo(2);
    assertThat(blank.err()).startsWith("ID: empty (expected: a node id)\n");
  }

  @Test
  void aDrainedNodeShowsItsReasonAndSince() {
    agent.service().nodes(java.util.List.of(TestNodes.nodeA().toBuilder().setDraining(true)
        .setDrainReason("kernel upgrade")
        .setDrainingSince(TestNodes.ago(java.time.Duration.ofMinutes(5))).build()));

    Result result = cli.run("describe-node", "node-a");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("""
        State:            ALIVE since 2025-11-22T07:59:20Z (40s ago)
        Draining:         since 2025-11-22T07:55:00Z (5m ago): kernel upgrade
        Agent version:    0.1.0
        """);
  }
}
