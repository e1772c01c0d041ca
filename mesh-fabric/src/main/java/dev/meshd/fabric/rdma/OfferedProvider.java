package dev.meshd.fabric.rdma;

import java.util.Objects;

/**
 * One provider an end can open an RMA endpoint with.
 *
 * @param asked the name asked of {@code fi_getinfo} ({@code efa}, {@code verbs;ofi_rxm}): what
 *     both ends compare, since it is what either would ask for
 * @param provider the name libfabric answered, e.g. {@code tcp;ofi_rxm} for {@code tcp}
 * @param fabric the fabric's name, e.g. {@code IB-0xfe80000000000000} or {@code 127.0.0.1/32}
 * @param domain the domain's name, e.g. {@code mlx5_0} or {@code lo}
 */
public record OfferedProvider(String asked, String provider, String fabric, String domain) {

  public OfferedProvider {
    Objects.requireNonNull(asked, "asked");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(fabric, "fabric");
    Objects.requireNonNull(domain, "domain");
  }

  @Override
  public String toString() {
    return asked + " (" + provider + ", fabric " + fabric + ", domain " + domain + ")";
  }
}
