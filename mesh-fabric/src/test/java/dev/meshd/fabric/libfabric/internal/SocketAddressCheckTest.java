package dev.meshd.fabric.libfabric.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SocketAddressCheckTest {

  /** sockaddr_in 127.0.0.1:35197 as fi_getname gives it on x86_64: family 2 little-endian. */
  private static final byte[] OWN = {2, 0, (byte) 0x89, 0x7d, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0,
      0, 0};

  @Test
  void aUsablePeerOfTheSameFamilyPasses() {
    byte[] peer = OWN.clone();
    peer[3] = 0x7e;

    assertThat(SocketAddressCheck.isSocketAddress(OWN)).isTrue();
    assertThat(SocketAddressCheck.problem(OWN, peer)).isEmpty();
  }

  @Test
  void whatLibfabricWouldRejectIsNamed() {
    byte[] garbage = new byte[16];
    java.util.Arrays.fill(garbage, (byte) 0xAB);
    byte[] portZero = OWN.clone();
    portZero[2] = 0;
    portZero[3] = 0;
    byte[] wildcard = OWN.clone();
    wildcard[4] = 0;
    wildcard[7] = 0;

    assertThat(SocketAddressCheck.problem(OWN, garbage)).contains("address family 43947 (expected: 2)");
    assertThat(SocketAddressCheck.problem(OWN, portZero)).contains("port 0");
    assertThat(SocketAddressCheck.problem(OWN, wildcard)).contains("wildcard host address");
    assertThat(SocketAddressCheck.problem(OWN, new byte[3])).contains("address is 3 bytes (expected: 16)");
  }

  @Test
  void otherAddressFormatsAreNotSocketAddresses() {
    assertThat(SocketAddressCheck.isSocketAddress(new byte[32])).isFalse();
    assertThat(SocketAddressCheck.isSocketAddress(new byte[] {2, 0})).isFalse();
  }
}
