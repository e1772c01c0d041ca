package dev.meshd.core.fabric;

import java.util.Objects;

/**
 * One libfabric provider and domain this node can open, as {@code fi_getinfo} reports it.
 *
 * @param name provider name as libfabric spells it, e.g. {@code verbs;ofi_rxm}, {@code tcp}
 * @param fabric the fabric name, e.g. {@code 127.0.0.1/32} or {@code IB-0xfe80000000000000}
 * @param domain the domain name, e.g. {@code mlx5_0} or {@code lo}
 * @param endpointType {@code FI_EP_MSG}, {@code FI_EP_RDM} or {@code FI_EP_DGRAM}
 * @param fabricClass the class of link this provider gives, e.g. {@link FabricClass#EFA}
 */
public record LibfabricProvider(
    String name, String fabric, String domain, String endpointType, FabricClass fabricClass) {

  public LibfabricProvider {
    requireText(name, "name");
    requireText(fabric, "fabric");
    requireText(domain, "domain");
    requireText(endpointType, "endpointType");
    Objects.requireNonNull(fabricClass, "fabricClass");
  }

  private static void requireText(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + ": blank (expected: text)");
    }
  }
}
