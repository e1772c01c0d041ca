package dev.meshd.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import dev.meshd.core.capability.RuntimeInfo;
import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.GpuLinkKind;
import dev.meshd.core.fabric.GpuPeerLink;
import dev.meshd.core.fabric.LibfabricProvider;
import dev.meshd.core.fabric.LinkLayer;
import dev.meshd.core.fabric.NodeFabric;
import dev.meshd.core.fabric.NvLinkLane;
import dev.meshd.core.fabric.QuicEndpoint;
import dev.meshd.core.fabric.RdmaPort;
import dev.meshd.core.fabric.RdmaPortState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The gossip encoding across adjacent schema versions: schema 1 (no fabric) and schema 2 read
 * each other's records, and unknown or missing fields do not make a record unreadable.
 */
class RecordCodecTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The schema-1 codec's reader, exactly: plain Jackson that ignores unknown fields. */
  private static final ObjectMapper SCHEMA_ONE_READER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final RecordCodec codec = new RecordCodec();

  /** The schema-1 layout: every component but the fabric. */
  record SchemaOneRecord(int schemaVersion, String nodeId, String hostId, String zone,
      String region, Map<String, String> labels, Set<String> roles, String agentVersion,
      long recordVersion, String grpcAddress, String gossipAddress, String metricsAddress,
      List<GpuInfo> gpus, List<RuntimeInfo> runtimes) {}

  private static NodeFabric fullFabric() {
    FabricInventory inventory = new FabricInventory(
        List.of(new RdmaPort("mlx5_0", 1, RdmaPortState.ACTIVE, 5, "LinkUp", 200,
                LinkLayer.INFINIBAND),
            new RdmaPort("mlx5_1", 1, RdmaPortState.DOWN, 3, "Disabled", 2.5,
                LinkLayer.ETHERNET)),
        List.of(new GpuPeerLink(0, 1, GpuLinkKind.NVLINK, 18),
            new GpuPeerLink(0, 2, GpuLinkKind.PHB, 0)),
        List.of(new NvLinkLane(0, 0, true, 26_562_500_000L), new NvLinkLane(0, 1, false, 0)),
        List.of(new LibfabricProvider("verbs;ofi_rxm", "IB-0xfe80000000000000", "mlx5_0",
            "FI_EP_RDM", FabricClass.RDMA_IB)),
        List.of("rocm-smi not found on PATH"));
    return new NodeFabric(inventory,
        Optional.of(new QuicEndpoint("10.0.0.11", 7072, "0f".repeat(32))));
  }

  private static CapabilityRecord record(NodeFabric fabric) {
    return new CapabilityRecord(CapabilityRecord.SCHEMA_VERSION, "node1", "host-a", "z1", "r1",
        Map.of("rack", "7"), Set.of("gpu", "router"), "0.1.0", 42, "127.0.0.1:7070",
        "127.0.0.1:7946", "127.0.0.1:9464",
        List.of(new GpuInfo(0, "GPU-0", "H100", 80_000_000_000L, 1_000L, 0.25, "", true,
            GpuSource.NVML)),
        List.of(new RuntimeInfo(RuntimeKind.VLLM, "http://127.0.0.1:8000", List.of("m"))),
        fabric);
  }

  private ObjectNode tree(CapabilityRecord record) throws Exception {
    return (ObjectNode) JSON.readTree(codec.encode(record));
  }

  private CapabilityRecord decode(ObjectNode tree) throws Exception {
    return codec.decode(JSON.writeValueAsBytes(tree));
  }

  @Test
  void everyFabricFactSurvivesTheRoundTrip() {
    CapabilityRecord record = record(fullFabric());

    assertThat(codec.decode(codec.encode(record))).isEqualTo(record);
  }

  @Test
  void onlyComponentsAreWrittenAndAnAbsentQuicEndpointIsLeftOut() throws Exception {
    ObjectNode fabric = (ObjectNode) tree(record(NodeFabric.of(fullFabric().inventory())))
        .get("fabric");

    assertThat(fabric.has("quicEndpoint")).isFalse();
    assertThat(fabric.get("inventory").has("empty")).as("isEmpty() is derived").isFalse();
    assertThat(fabric.get("inventory").get("rdmaPorts").get(0).has("active")).isFalse();
    assertThat(fabric.get("inventory").get("gpuPeerLinks").get(0).has("gpuFabric")).isFalse();
    assertThat(codec.decode(codec.encode(record(NodeFabric.empty()))).fabric())
        .isEqualTo(NodeFabric.empty());
  }

  @Test
  void aSchemaOneRecordReadsAsEmptyFabric() {
    String schemaOne = """
        {"schemaVersion":1,"nodeId":"old","hostId":"h","zone":"z1","region":"r1",
         "labels":{},"roles":["gpu"],"agentVersion":"0.0.9","recordVersion":3,
         "grpcAddress":"127.0.0.1:7070","gossipAddress":"127.0.0.1:7946",
         "metricsAddress":"127.0.0.1:9464",
         "gpus":[{"index":0,"uuid":"GPU-0","model":"L4","vramTotalBytes":24000000000,
                  "vramUsedBytes":0,"utilization":0.0,"migProfile":"","healthy":true,
                  "source":"SIMULATED"}],
         "runtimes":[]}
        """;

    CapabilityRecord decoded = codec.decode(schemaOne.getBytes(StandardCharsets.UTF_8));

    assertThat(decoded.schemaVersion()).isEqualTo(1);
    assertThat(decoded.nodeId()).isEqualTo("old");
    assertThat(decoded.gpus()).hasSize(1);
    assertThat(decoded.fabric()).isEqualTo(NodeFabric.empty());
  }

  @Test
  void aSchemaOneReaderReadsASchemaTwoRecordAndIgnoresItsFabric() throws Exception {
    CapabilityRecord record = record(fullFabric());

    SchemaOneRecord old = SCHEMA_ONE_READER.readValue(codec.encode(record), SchemaOneRecord.class);

    assertThat(old.schemaVersion()).isEqualTo(2);
    assertThat(old.nodeId()).isEqualTo(record.nodeId());
    assertThat(old.recordVersion()).isEqualTo(record.recordVersion());
    assertThat(old.gpus()).isEqualTo(record.gpus());
    assertThat(old.runtimes()).isEqualTo(record.runtimes());
    assertThat(old.roles()).isEqualTo(record.roles());
  }

  @Test
  void fieldsFromANewerWriterAreIgnoredAtEveryLevel() throws Exception {
    CapabilityRecord record = record(fullFabric());
    ObjectNode tree = tree(record);
    tree.put("loadHint", 3);
    ObjectNode fabric = (ObjectNode) tree.get("fabric");
    fabric.putArray("cxlDevices").add("cxl0");
    ((ObjectNode) fabric.get("inventory")).put("scannedAt", "2026-01-01T00:00:00Z");
    ((ObjectNode) fabric.get("inventory").get("rdmaPorts").get(0)).put("lid", 7);
    ((ObjectNode) fabric.get("quicEndpoint")).put("alpn", "meshd/2");

    assertThat(decode(tree)).isEqualTo(record);
  }

  @Test
  void listsAnOlderWriterDidNotHaveReadAsEmpty() throws Exception {
    ObjectNode tree = tree(record(fullFabric()));
    ObjectNode inventory = (ObjectNode) tree.get("fabric").get("inventory");
    inventory.remove("libfabricProviders");
    inventory.remove("nvlinkLanes");
    inventory.putNull("reasons");

    FabricInventory decoded = decode(tree).fabric().inventory();

    assertThat(decoded.libfabricProviders()).isEmpty();
    assertThat(decoded.nvlinkLanes()).isEmpty();
    assertThat(decoded.reasons()).isEmpty();
    assertThat(decoded.rdmaPorts()).isEqualTo(fullFabric().inventory().rdmaPorts());
  }

  @Test
  void anInvalidFabricMakesTheRecordInvalid() throws Exception {
    ObjectNode tree = tree(record(fullFabric()));
    ((ObjectNode) tree.get("fabric").get("quicEndpoint")).put("certificateSha256", "not-hex");

    byte[] bytes = JSON.writeValueAsBytes(tree);

    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("certificateSha256");
  }
}
