package dev.meshd.fabric.libfabric.internal;

/**
 * What {@link RdmEndpoint#open} asks {@code fi_getinfo} for, beyond the provider and the
 * endpoint type ({@code FI_EP_RDM}, always): the capabilities, and the demands this caller can
 * honour. A provider that demands more is filtered out by libfabric itself.
 *
 * @param caps e.g. {@code FI_MSG}, or {@code FI_MSG | FI_RMA}
 * @param mode mode bits the caller honours (see {@link ProviderDemands})
 * @param mrMode {@code mr_mode} bits the caller honours; 0 when it registers nothing
 * @param txOpFlags default transmit flags asked for, e.g. {@code FI_DELIVERY_COMPLETE}
 */
public record EndpointRequest(long caps, long mode, int mrMode, long txOpFlags) {

  /**
   * Messages only, no demands honoured: the {@code tcp} probe transport, which registers no
   * memory and passes plain values as contexts.
   */
  public static EndpointRequest messaging() {
    return new EndpointRequest(FiStructs.FI_MSG, 0, 0, 0);
  }

  /**
   * Messages and RMA writes, honouring the context structs and every common {@code mr_mode}:
   * what an RDMA provider (verbs, efa, cxi, psm3, opx) may demand. Write completions are asked
   * to mean delivery (the data is visible at the target), so that a message sent after a
   * write's completion never overtakes its data on any provider.
   */
  public static EndpointRequest rma() {
    return new EndpointRequest(FiStructs.FI_MSG | FiStructs.FI_RMA,
        ProviderDemands.HONOURED_MODE, ProviderDemands.HONOURED_MR_MODE,
        FiStructs.FI_DELIVERY_COMPLETE);
  }

  /** Whether the endpoint may register memory and pass descriptors. */
  public boolean registers() {
    return mrMode != 0;
  }

  FiHints hints(String provider) {
    return new FiHints(provider, FiStructs.FI_EP_RDM, caps, mode, mrMode, 0,
        FiStructs.FI_THREAD_DOMAIN, txOpFlags);
  }
}
