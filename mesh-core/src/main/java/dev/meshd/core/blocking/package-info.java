/**
 * Blocking work with a deadline the agent can rely on: child processes such as {@code
 * nvidia-smi} or {@code rocm-smi} ({@link dev.meshd.core.blocking.BoundedCommand}), and calls
 * into native libraries that cannot be interrupted ({@link
 * dev.meshd.core.blocking.BoundedNativeCall}). Shared by the GPU probes here and the fabric
 * discovery and probes in {@code mesh-fabric}: a hung driver must never hang the agent.
 */
package dev.meshd.core.blocking;
