/**
 * Implementation details of the policy store: the command and reply records and their JSON
 * codec, the deterministic store state with its change history, snapshot files, watch
 * delivery, and the Ratis TLS parameters. Not an API: only {@code dev.meshd.raft} uses it.
 */
package dev.meshd.raft.internal;
