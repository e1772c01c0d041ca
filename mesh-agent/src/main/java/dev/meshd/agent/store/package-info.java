/**
 * This agent's watched copy of the policy store: {@link dev.meshd.agent.store.StoreView} keeps an
 * immutable {@link dev.meshd.core.policy.StoreSnapshot} current by list-then-watch, from its own
 * replica on a control node or from a control agent over gRPC elsewhere ({@link
 * dev.meshd.agent.store.StoreSource}). The API reads node drains from it.
 */
package dev.meshd.agent.store;
