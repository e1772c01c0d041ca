package dev.meshd.fabric.peercopy;

import java.util.Comparator;

/**
 * One GPU as a {@link PeerCopyDriver} sees it: the driver's own handle for it (a CUDA {@code
 * CUdevice}, a HIP device ordinal) and its PCI address, by which the probe sorts GPUs into PCI
 * bus order, the order NVML, nvidia-smi, rocm-smi and the topology name them in.
 *
 * @param handle what the driver's calls take for this GPU
 * @param pciDomain the PCI domain (segment)
 * @param pciBus the PCI bus
 * @param pciDevice the PCI device on the bus
 */
public record PeerCopyDevice(int handle, int pciDomain, int pciBus, int pciDevice) {

  /** PCI bus order: domain, then bus, then device. */
  public static final Comparator<PeerCopyDevice> PCI_ORDER =
      Comparator.comparingInt(PeerCopyDevice::pciDomain)
          .thenComparingInt(PeerCopyDevice::pciBus)
          .thenComparingInt(PeerCopyDevice::pciDevice);
}
