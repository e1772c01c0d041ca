/**
 * The hand-written FFM binding of libfabric: the exported functions
 * ({@link dev.meshd.fabric.libfabric.internal.FabricLibrary}), the static-inline calls made
 * through the ops tables of the fid structs ({@link dev.meshd.fabric.libfabric.internal.FidOps}),
 * the struct layouts ({@link dev.meshd.fabric.libfabric.internal.FiStructs}), one reliable
 * datagram endpoint with its fids and buffers
 * ({@link dev.meshd.fabric.libfabric.internal.RdmEndpoint}), the two sides of the probe protocol
 * over it, and the parser of {@code fi_info}'s text output.
 */
package dev.meshd.fabric.libfabric.internal;
