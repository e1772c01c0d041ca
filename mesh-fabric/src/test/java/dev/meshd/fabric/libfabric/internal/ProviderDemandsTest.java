package dev.meshd.fabric.libfabric.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The decisions taken from a provider's mode and mr_mode bits, one rule at a time. */
class ProviderDemandsTest {

  private static final MemorySegment DESCRIPTOR = MemorySegment.ofAddress(0xD35C);

  @Test
  void aProviderThatDemandsNothingGetsNullDescriptorsOffsetsAndRequestedKeys() {
    ProviderDemands none = ProviderDemands.none();

    assertThat(none.contextBytes()).isZero();
    assertThat(none.descriptor(DESCRIPTOR)).isEqualTo(MemorySegment.NULL);
    assertThat(none.targetAddress(0x7f00_0000_1000L, 4096)).isEqualTo(4096);
    assertThat(none.key(0xC0FFEE, 3)).isEqualTo(3);
    assertThat(none.bindToEndpoint()).isFalse();
    assertThat(none.unhonouredMrMode()).isZero();
  }

  @Test
  void contextStructsHaveTheSizeOfTheDemandedOne() {
    assertThat(new ProviderDemands(FiStructs.FI_CONTEXT, 0).contextBytes()).isEqualTo(32);
    assertThat(new ProviderDemands(FiStructs.FI_CONTEXT2, 0).contextBytes()).isEqualTo(64);
    // Both set: the larger serves both.
    assertThat(new ProviderDemands(FiStructs.FI_CONTEXT | FiStructs.FI_CONTEXT2, 0)
        .contextBytes()).isEqualTo(64);
  }

  @Test
  void mrLocalPassesTheRegionsDescriptor() {
    ProviderDemands local = new ProviderDemands(0, FiStructs.FI_MR_LOCAL);
    ProviderDemands oldModeBit = new ProviderDemands(FiStructs.FI_LOCAL_MR, 0);

    assertThat(local.descriptor(DESCRIPTOR)).isEqualTo(DESCRIPTOR);
    assertThat(oldModeBit.descriptor(DESCRIPTOR)).isEqualTo(DESCRIPTOR);
    assertThat(local.descriptor(null)).isEqualTo(MemorySegment.NULL);
  }

  @Test
  void virtAddrAddressesByVirtualAddressElseByOffset() {
    ProviderDemands virt = new ProviderDemands(0, FiStructs.FI_MR_VIRT_ADDR);

    assertThat(virt.targetAddress(0x7f00_0000_1000L, 0)).isEqualTo(0x7f00_0000_1000L);
    assertThat(virt.targetAddress(0x7f00_0000_1000L, 4096)).isEqualTo(0x7f00_0000_2000L);
    assertThat(ProviderDemands.none().targetAddress(0x7f00_0000_1000L, 0)).isZero();
  }

  @Test
  void provKeyTakesTheProvidersKeyElseTheRequestedOne() {
    assertThat(new ProviderDemands(0, FiStructs.FI_MR_PROV_KEY).key(0xC0FFEE, 3))
        .isEqualTo(0xC0FFEE);
    assertThat(new ProviderDemands(0, FiStructs.FI_MR_VIRT_ADDR).key(0xC0FFEE, 3)).isEqualTo(3);
  }

  @Test
  void endpointRegionsAreBoundAndAllocatedMemoryNeedsNothingMore() {
    ProviderDemands endpoint = new ProviderDemands(0, FiStructs.FI_MR_ENDPOINT);
    ProviderDemands allocated = new ProviderDemands(0, FiStructs.FI_MR_ALLOCATED);

    assertThat(endpoint.bindToEndpoint()).isTrue();
    assertThat(allocated.bindToEndpoint()).isFalse();
    assertThat(allocated.unhonouredMrMode()).isZero();
  }

  @Test
  void bitsMeshdDoesNotHonourAreNamed() {
    int rawKeys = 1 << 7; // FI_MR_RAW
    int mmuNotify = 1 << 8; // FI_MR_MMU_NOTIFY

    assertThat(new ProviderDemands(0, FiStructs.FI_MR_LOCAL | rawKeys | mmuNotify)
        .unhonouredMrMode()).isEqualTo(rawKeys | mmuNotify);
  }

  @Test
  void theRmaRequestOffersExactlyWhatIsHonoured() {
    EndpointRequest rma = EndpointRequest.rma();

    assertThat(rma.caps()).isEqualTo(FiStructs.FI_MSG | FiStructs.FI_RMA);
    assertThat(rma.mode()).isEqualTo(FiStructs.FI_CONTEXT | FiStructs.FI_CONTEXT2);
    assertThat(rma.mrMode()).isEqualTo(FiStructs.FI_MR_LOCAL | FiStructs.FI_MR_VIRT_ADDR
        | FiStructs.FI_MR_ALLOCATED | FiStructs.FI_MR_PROV_KEY | FiStructs.FI_MR_ENDPOINT);
    assertThat(EndpointRequest.messaging().registers()).isFalse();
  }
}
