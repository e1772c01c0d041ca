package dev.meshd.fabric.rdma;

import dev.meshd.fabric.libfabric.LibfabricDiscovery;
import dev.meshd.fabric.libfabric.LibfabricTransportConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Which providers the {@code rdma} transport may use, and how it opens its endpoints.
 *
 * @param providers the providers to ask {@code fi_getinfo} for, in preference order: both ends
 *     use the first of these that both have
 * @param endpoints library, bind address, message and window sizes; its own provider is
 *     replaced by each of {@code providers}
 * @param nativeTimeout the longest a check of the providers (fi_getinfo and opening an
 *     endpoint per provider) may take before it counts as hung
 */
public record RdmaTransportConfig(List<String> providers, LibfabricTransportConfig endpoints,
    Duration nativeTimeout) {

  /** What {@code fabric.rdma.provider: auto} means. */
  public static final String AUTO = "auto";

  public RdmaTransportConfig {
    Objects.requireNonNull(providers, "providers");
    Objects.requireNonNull(endpoints, "endpoints");
    Objects.requireNonNull(nativeTimeout, "nativeTimeout");
    providers = List.copyOf(providers);
    if (providers.isEmpty()) {
      throw new IllegalArgumentException("providers: empty (expected: at least one)");
    }
    if (nativeTimeout.isNegative() || nativeTimeout.isZero()) {
      throw new IllegalArgumentException("nativeTimeout: " + nativeTimeout + " (expected: > 0)");
    }
  }

  /**
   * The transport for {@code fabric.rdma.provider}: {@code auto} tries the RDMA providers in
   * {@link LibfabricDiscovery#RDMA_PROVIDERS}' order; any other value is the one provider to
   * use ({@code verbs} is asked as {@code verbs;ofi_rxm}, the reliable-datagram layering
   * discovery lists). Naming a provider that is not an RDMA one, such as {@code tcp}, runs
   * the same RMA path over it: that is how the tests move bytes without an RDMA NIC.
   */
  public static RdmaTransportConfig forSetting(String setting, LibfabricTransportConfig endpoints) {
    Objects.requireNonNull(setting, "setting");
    String value = setting.strip();
    if (value.isEmpty()) {
      throw new IllegalArgumentException("fabric.rdma.provider: blank (expected: auto or a "
          + "libfabric provider name)");
    }
    List<String> providers = value.equals(AUTO) ? LibfabricDiscovery.RDMA_PROVIDERS
        : List.of(value.equals("verbs") ? "verbs;ofi_rxm" : value);
    // Opening an endpoint per provider takes ~0.1 s; a provider stuck in its driver, forever.
    return new RdmaTransportConfig(providers, endpoints, Duration.ofSeconds(10));
  }
}
