/**
 * What the same-host GPU links share: the peer-copy payload probe between two GPUs of one host
 * ({@link dev.meshd.fabric.peercopy.PeerCopyProbe}: peer access checked and enabled, payloads
 * copied host → A → B → host, verified by CRC32C and timed, bounded by a deadline), the seam a
 * vendor API plugs into ({@link dev.meshd.fabric.peercopy.PeerCopyDriver}: the CUDA driver for
 * NVLink, the HIP runtime for XGMI) and the stage transport over it ({@link
 * dev.meshd.fabric.peercopy.PeerCopyStageTransport}). The session itself is in {@code internal}.
 */
package dev.meshd.fabric.peercopy;
