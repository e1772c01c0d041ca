package dev.meshd.bench.negotiate;

import dev.meshd.bench.negotiate.FailingFirstTransport.Failure;
import dev.meshd.fabric.libfabric.LibfabricTcpTransport;
import dev.meshd.fabric.libfabric.LibfabricTransportConfig;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.probe.FallbackReason;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One way for the first transport of the order ({@code libfabric-tcp}) to fail in the fallback
 * runs: the transport each end holds and the reasons the link may record for it. Immutable.
 *
 * @param label the line's label, e.g. {@code (b) connect refused (kernel)}
 * @param reasons what the link may record for {@link #GROUP}; anything else stops the bench
 */
public record FirstTransport(String label, StageTransport upstream, StageTransport downstream,
    Set<FallbackReason> reasons) {

  /** The group that fails first. */
  public static final String GROUP = FailingFirstTransport.GROUP;

  /** The label of the hang, whose distance to the deadline the bench reports. */
  public static final String SILENT_PEER = "(c) peer silent, probe hangs";

  /** The label of the production libfabric transport, whose offer and accept are reported. */
  public static final String REAL_LIBFABRIC = "(e) libfabric, no verbs (real)";

  public FirstTransport {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(downstream, "downstream");
    reasons = Set.copyOf(reasons);
  }

  /**
   * (a)-(d) the double, one way each; (e) the production {@link LibfabricTcpTransport}, whose
   * downstream asks libfabric for the {@code verbs} provider, so that {@code fi_getinfo} really
   * finds none at accept on a host without RDMA ({@code library_missing} on a host without
   * libfabric at all).
   */
  public static List<FirstTransport> all() {
    LibfabricTransportConfig tcp = LibfabricTransportConfig.loopback();
    LibfabricTransportConfig verbs = new LibfabricTransportConfig(tcp.library(), "verbs",
        tcp.node(), tcp.maxMessageBytes(), tcp.receiveDepth(), tcp.sendWindowBytes(),
        tcp.sessionTimeout());
    return List.of(
        doubled("(a) refused at accept", Failure.PROVIDER_MISSING,
            FallbackReason.PROVIDER_MISSING),
        doubled("(b) connect refused (kernel)", Failure.CONNECT_REFUSED,
            FallbackReason.CONNECT_FAILED),
        doubled(SILENT_PEER, Failure.SILENT_PEER, FallbackReason.PROBE_TIMEOUT),
        doubled("(d) payload corrupted (1 byte)", Failure.CORRUPT_PAYLOAD,
            FallbackReason.CHECKSUM_MISMATCH),
        new FirstTransport(REAL_LIBFABRIC, new LibfabricTcpTransport(tcp),
            new LibfabricTcpTransport(verbs),
            Set.of(FallbackReason.PROVIDER_MISSING, FallbackReason.LIBRARY_MISSING)));
  }

  private static FirstTransport doubled(String label, Failure failure, FallbackReason reason) {
    return new FirstTransport(label, new FailingFirstTransport(failure),
        new FailingFirstTransport(failure), Set.of(reason));
  }
}
