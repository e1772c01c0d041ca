package dev.meshd.fabric.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.LinkLayer;
import dev.meshd.core.fabric.RdmaPort;
import dev.meshd.core.fabric.RdmaPortState;
import dev.meshd.fabric.discovery.Fixtures;
import org.junit.jupiter.api.Test;

class IbvDevinfoParserTest {

  @Test
  void recordedPortDownWithoutVerboseFields() {
    FabricInventory inventory =
        IbvDevinfoParser.parse(Fixtures.text("ibverbs/ibv_devinfo-port-down.txt"));

    assertThat(inventory.reasons()).isEmpty();
    assertThat(inventory.rdmaPorts()).containsExactly(
        new RdmaPort("mlx5_12", 1, RdmaPortState.DOWN, 0, "", 0, LinkLayer.ETHERNET));
  }

  @Test
  void recordedNoDeviceQuotesTheTool() {
    FabricInventory inventory =
        IbvDevinfoParser.parse(Fixtures.text("ibverbs/ibv_devinfo-no-device.txt"));

    assertThat(inventory.isEmpty()).isTrue();
    assertThat(inventory.reasons()).containsExactly(
        "ibv_devinfo: no devices: Failed to get IB devices list: Function not implemented");
  }

  @Test
  void verboseFieldsGivePhysicalStateAndRate() {
    String output = """
        hca_id:\tmlx5_0
        \ttransport:\t\t\tInfiniBand (0)
        \t\tport:\t1
        \t\t\tstate:\t\t\tPORT_ACTIVE (4)
        \t\t\tactive_width:\t\t4X (2)
        \t\t\tactive_speed:\t\t50.0 Gbps (64)
        \t\t\tphys_state:\t\tLINK_UP (5)
        \t\t\tlink_layer:\t\tInfiniBand
        \t\tport:\t2
        \t\t\tstate:\t\t\tPORT_ACTIVE (9)
        \t\t\tlink_layer:\t\tInfiniBand
        hca_id:\tmlx5_1
        \t\tport:\t1
        \t\t\tstate:\t\t\tPORT_INIT (2)
        \t\t\tlink_layer:\t\tToken Ring
        """;

    FabricInventory inventory = IbvDevinfoParser.parse(output);

    assertThat(inventory.rdmaPorts()).containsExactly(new RdmaPort(
        "mlx5_0", 1, RdmaPortState.ACTIVE, 5, "LINK_UP", 200, LinkLayer.INFINIBAND));
    assertThat(inventory.reasons()).containsExactly(
        "ibv_devinfo: skipped mlx5_0 port 2: state 'PORT_ACTIVE (9)' (expected: "
            + "PORT_<STATE> (<code>) such as 'PORT_ACTIVE (4)')",
        "ibv_devinfo: skipped mlx5_1 port 1: link_layer 'Token Ring' (expected: InfiniBand, "
            + "Ethernet or Unspecified)");
  }

  @Test
  void emptyAndGarbageGiveAReasonNotAnException() {
    assertThat(IbvDevinfoParser.parse("").reasons()).containsExactly("ibv_devinfo: empty output");
    assertThat(IbvDevinfoParser.parse("No IB devices found\n").reasons())
        .containsExactly("ibv_devinfo: no devices: No IB devices found");
    assertThat(IbvDevinfoParser.parse("port: 1\nstate: PORT_ACTIVE (4)\n\u0000\u00ff").isEmpty())
        .isTrue();
    assertThat(IbvDevinfoParser.parse("hca_id: x\nport: 99999999999\n").isEmpty()).isTrue();
  }
}
