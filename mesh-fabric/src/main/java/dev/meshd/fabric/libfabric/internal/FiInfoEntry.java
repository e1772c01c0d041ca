package dev.meshd.fabric.libfabric.internal;

import java.util.Objects;

/**
 * The fields of one {@code fi_info} that meshd uses, copied out of native memory (or parsed from
 * {@code fi_info}'s text, where only the first four are printed).
 *
 * @param provider {@code fabric_attr->prov_name}, e.g. {@code tcp;ofi_rxm}
 * @param fabric {@code fabric_attr->name}, e.g. {@code 127.0.0.1/32}
 * @param domain {@code domain_attr->name}, e.g. {@code lo}
 * @param endpointType e.g. {@code FI_EP_RDM}
 * @param mode {@code mode}: what the provider demands of the caller
 * @param mrMode {@code domain_attr->mr_mode}
 */
public record FiInfoEntry(
    String provider, String fabric, String domain, String endpointType, long mode, int mrMode) {

  public FiInfoEntry {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(fabric, "fabric");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(endpointType, "endpointType");
  }

  /** Whether buffers must be registered before a send or receive (FI_MR_LOCAL/FI_LOCAL_MR). */
  public boolean needsLocalRegistration() {
    return (mrMode & FiStructs.FI_MR_LOCAL) != 0 || (mode & FiStructs.FI_LOCAL_MR) != 0;
  }
}
