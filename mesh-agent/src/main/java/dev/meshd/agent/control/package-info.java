/**
 * The agent's side of the Raft policy store on control nodes: cluster status and membership
 * over the Ratis server, snapshots for operators, seeding a store from a saved snapshot, and the
 * store's metrics.
 */
package dev.meshd.agent.control;
