package dev.meshd.fabric.libfabric.internal;

import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Checks that a peer address is a socket address libfabric's IP address vectors accept
 * (family, non-zero port, non-wildcard host), before {@code fi_av_insert} sees it.
 *
 * <p>Why not let fi_av_insert judge: in libfabric 1.17's {@code ofi_rxm}, one rejected insert
 * leaves the address vector refusing every later insert with {@code -FI_EINVAL} (seen here;
 * see docs/fabric.md). A responder that serves many peers through one address vector therefore
 * screens addresses first; a probe client opens its own address vector per probe and does not
 * need to. Stateless.
 */
public final class SocketAddressCheck {

  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;

  private SocketAddressCheck() {}

  /** Whether {@code own} (an endpoint's own name) is a {@code sockaddr_in} or _in6. */
  public static boolean isSocketAddress(byte[] own) {
    return family(own) == AF_INET && own.length == 16
        || family(own) == AF_INET6 && own.length == 28;
  }

  /** Why {@code peer} is not a usable address of {@code own}'s family; empty when it is. */
  public static Optional<String> problem(byte[] own, byte[] peer) {
    if (peer.length != own.length) {
      return Optional.of("address is " + peer.length + " bytes (expected: " + own.length + ")");
    }
    if (family(peer) != family(own)) {
      return Optional.of("address family " + family(peer) + " (expected: " + family(own) + ")");
    }
    if (peer[2] == 0 && peer[3] == 0) {
      return Optional.of("port 0");
    }
    int hostStart = family(own) == AF_INET ? 4 : 8;
    int hostEnd = family(own) == AF_INET ? 8 : 24;
    for (int i = hostStart; i < hostEnd; i++) {
      if (peer[i] != 0) {
        return Optional.empty();
      }
    }
    return Optional.of("wildcard host address");
  }

  /** {@code sa_family}: a u16 in host byte order at the start. */
  private static int family(byte[] address) {
    if (address.length < 2) {
      return -1;
    }
    int first = address[0] & 0xff;
    int second = address[1] & 0xff;
    return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
        ? first | second << 8
        : first << 8 | second;
  }
}
