/**
 * One peer-copy probe session ({@link dev.meshd.fabric.peercopy.internal.PeerCopySession}): the
 * choreography over a {@link dev.meshd.fabric.peercopy.PeerCopyDriver}, run on one thread.
 */
package dev.meshd.fabric.peercopy.internal;
