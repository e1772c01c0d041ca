/**
 * The replicated policy and placement store on Apache Ratis: implements {@link
 * dev.meshd.core.policy.PolicyStore} for the router and the fabric negotiator.
 *
 * <p>{@link dev.meshd.raft.RaftPolicyServer} is one voter (Ratis server over gRPC, storage in
 * the configured data directory, automatic snapshots); {@link dev.meshd.raft.PolicyStateMachine}
 * applies the log and decides compare-and-set at apply time; {@link
 * dev.meshd.raft.RaftPolicyStore} is the client side with bounded retries and a per-call
 * deadline. Log entries, replies and snapshots are JSON (see {@code internal.StoreCodec}).
 */
package dev.meshd.raft;
