package dev.meshd.fabric.libfabric;

import dev.meshd.fabric.libfabric.internal.FabricLibrary;
import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * How the libfabric probe transport opens its endpoints and sizes its buffers.
 *
 * @param library the library to load: a name the dynamic loader searches for, or a path
 * @param provider the provider asked of {@code fi_getinfo}, with {@code FI_EP_RDM}
 * @param node the local address endpoints bind to ({@code FI_SOURCE}); the port is chosen by
 *     the provider and is part of the published address
 * @param maxMessageBytes the largest probe message a responder accepts; it keeps
 *     {@code receiveDepth} receives of this size posted
 * @param receiveDepth receives a responder keeps posted
 * @param sendWindowBytes bulk bytes a client keeps in flight (at least one message, at most
 *     {@link #MAX_SEND_WINDOW} messages)
 * @param sessionTimeout a responder forgets a client silent this long
 */
public record LibfabricTransportConfig(String library, String provider, String node,
    int maxMessageBytes, int receiveDepth, int sendWindowBytes, Duration sessionTimeout) {

  /** Messages in flight at most, whatever their size. */
  public static final int MAX_SEND_WINDOW = 16;

  public LibfabricTransportConfig {
    requireText(library, "library");
    requireText(provider, "provider");
    requireText(node, "node");
    Objects.requireNonNull(sessionTimeout, "sessionTimeout");
    if (maxMessageBytes < 1 || maxMessageBytes > ProbeSpec.MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException("maxMessageBytes: " + maxMessageBytes
          + " (expected: 1-" + ProbeSpec.MAX_MESSAGE_BYTES + ")");
    }
    if (receiveDepth < 1 || receiveDepth > 64) {
      throw new IllegalArgumentException("receiveDepth: " + receiveDepth + " (expected: 1-64)");
    }
    if (sendWindowBytes < 1) {
      throw new IllegalArgumentException(
          "sendWindowBytes: " + sendWindowBytes + " (expected: >= 1)");
    }
    if (sessionTimeout.isNegative() || sessionTimeout.isZero()) {
      throw new IllegalArgumentException("sessionTimeout: " + sessionTimeout + " (expected: > 0)");
    }
  }

  /**
   * The transport as it runs on one host's loopback (tests, the benchmark, single-host
   * meshes).
   */
  public static LibfabricTransportConfig loopback() {
    return new LibfabricTransportConfig(
        // Debian's libfabric1 soname, found by the dynamic loader.
        FabricLibrary.DEFAULT_NAME,
        // The kernel TCP stack: the provider that runs on any host; with FI_EP_RDM libfabric
        // 1.17 layers ofi_rxm over it (tcp alone has only FI_EP_MSG there).
        "tcp",
        // Loopback only; an agent serving other hosts binds its fabric address instead.
        "127.0.0.1",
        // The standard probe's message size (1 MiB): a responder must take it.
        ProbeSpec.standard().messageBytes(),
        // 4 x 1 MiB of receives: enough to overlap CRC checking with the next transfer
        // without pinning much memory in every agent.
        4,
        // 8 MiB in flight: 8 standard messages, enough to keep loopback TCP busy.
        8 << 20,
        // Far beyond any probe's deadline; only a client that died mid-probe meets it.
        Duration.ofSeconds(30));
  }

  /** A copy loading {@code library} (a name or a path) instead. */
  public LibfabricTransportConfig withLibrary(String library) {
    return new LibfabricTransportConfig(library, provider, node, maxMessageBytes, receiveDepth,
        sendWindowBytes, sessionTimeout);
  }

  /** A copy whose endpoints open with {@code provider} (asked with {@code FI_EP_RDM}). */
  public LibfabricTransportConfig withProvider(String provider) {
    return new LibfabricTransportConfig(library, provider, node, maxMessageBytes, receiveDepth,
        sendWindowBytes, sessionTimeout);
  }

  /** A copy whose endpoints open on {@code node} (the address peers reach this host at). */
  public LibfabricTransportConfig withNode(String node) {
    return new LibfabricTransportConfig(library, provider, node, maxMessageBytes, receiveDepth,
        sendWindowBytes, sessionTimeout);
  }

  /** A copy whose responder accepts messages of up to {@code maxMessageBytes}. */
  public LibfabricTransportConfig withMaxMessageBytes(int maxMessageBytes) {
    return new LibfabricTransportConfig(library, provider, node, maxMessageBytes, receiveDepth,
        sendWindowBytes, sessionTimeout);
  }

  /** Bulk messages in flight for messages of {@code messageBytes}. */
  public int sendWindow(int messageBytes) {
    return (int) Math.max(1, Math.min(MAX_SEND_WINDOW, sendWindowBytes / (long) messageBytes));
  }

  private static void requireText(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + ": blank (expected: text)");
    }
  }
}
