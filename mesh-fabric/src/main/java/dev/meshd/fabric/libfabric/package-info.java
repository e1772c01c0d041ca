/**
 * libfabric in meshd: which providers a node has
 * ({@link dev.meshd.fabric.libfabric.LibfabricDiscovery}), and the payload probe over a
 * libfabric reliable-datagram endpoint ({@link dev.meshd.fabric.libfabric.LibfabricProbeResponder}
 * serves it and publishes its address; {@link dev.meshd.fabric.libfabric.LibfabricTcpProbe}
 * runs it against that address). Here the {@code tcp} provider runs for real, on loopback;
 * verbs, efa, cxi, psm3 and opx need their hardware (docs/fabric.md).
 *
 * <p>Nothing here throws for an absent libfabric: discovery gives reasons, the probe a
 * {@link dev.meshd.fabric.probe.ProbeFailure} with
 * {@link dev.meshd.fabric.probe.FallbackReason#LIBRARY_MISSING}.
 */
package dev.meshd.fabric.libfabric;
