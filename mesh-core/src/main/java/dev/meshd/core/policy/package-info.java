/**
 * Routing policies and model placements: the documents the replicated store keeps, their
 * validation, and the {@link dev.meshd.core.policy.PolicyStore} contract that {@code mesh-raft}
 * implements and the router and fabric negotiator read and write through.
 *
 * <p>The records normalise nulls to empty values but accept semantically wrong content on
 * purpose: {@link dev.meshd.core.policy.PolicyValidator} and {@link
 * dev.meshd.core.policy.PlacementValidator} report every problem of a document at once, each
 * naming its field, which a throwing constructor could not.
 */
package dev.meshd.core.policy;
