/**
 * The hand-written FFM binding of the HIP runtime ({@code libamdhip64.so}, {@link
 * dev.meshd.fabric.xgmi.internal.HipRuntime}) and the peer-copy driver over it ({@link
 * dev.meshd.fabric.xgmi.internal.HipPeerCopy}).
 */
package dev.meshd.fabric.xgmi.internal;
