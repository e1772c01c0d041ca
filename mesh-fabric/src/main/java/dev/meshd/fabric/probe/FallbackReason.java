package dev.meshd.fabric.probe;

/**
 * Why a transport was not used for a stage link. Each value has a stable lower-case name used
 * as the {@code reason} label of {@code meshd_fabric_fallbacks_total} and in link status text.
 */
public enum FallbackReason {
  /** The transport is not in either end's {@code fabric.order}, or the peer did not accept it. */
  NOT_OFFERED("not_offered"),
  /** NVLink/XGMI: the two stages are on different hosts. */
  NOT_SAME_HOST("not_same_host"),
  /** NVLink/XGMI: the two GPUs have no peer access to each other. */
  NO_PEER_ACCESS("no_peer_access"),
  /** NVLink/XGMI: no GPU (or no usable GPU driver) on this node to run the probe on. */
  NO_GPU("no_gpu"),
  /** The native library (libfabric, libcuda, libamdhip64) could not be loaded. */
  LIBRARY_MISSING("library_missing"),
  /** The libfabric provider is absent on one end or the two ends share none. */
  PROVIDER_MISSING("provider_missing"),
  /** {@code fi_av_insert} did not accept the peer's address. */
  ADDRESS_INSERT_FAILED("address_insert_failed"),
  /** No connection could be made (refused, unreachable, handshake failed). */
  CONNECT_FAILED("connect_failed"),
  /** TLS: the peer's certificate does not match the fingerprint in its record. */
  PEER_REJECTED("peer_rejected"),
  /**
   * RDMA: the provider refused to register a buffer ({@code fi_mr_reg}, {@code fi_mr_bind} or
   * {@code fi_mr_enable} failed), e.g. when locked memory ({@code ulimit -l}) runs out.
   */
  MEMORY_REGISTRATION_FAILED("memory_registration_failed"),
  /** The probe did not finish within its deadline. */
  PROBE_TIMEOUT("probe_timeout"),
  /** The receiver found bytes whose CRC32C did not match. */
  CHECKSUM_MISMATCH("checksum_mismatch"),
  /** Anything else (a native call failed); the detail says which. */
  TRANSPORT_ERROR("transport_error");

  private final String label;

  FallbackReason(String label) {
    this.label = label;
  }

  /** The stable lower-case name, e.g. {@code probe_timeout}. */
  public String label() {
    return label;
  }
}
