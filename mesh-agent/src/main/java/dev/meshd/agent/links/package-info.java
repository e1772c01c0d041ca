/**
 * Placement links: the agent hosting a pipeline's upstream stage negotiates each stage link with
 * the agent of the next stage and writes the outcome into the placement's link status in the
 * store; it renegotiates when an end's fabric changes, after a failure (with backoff) and
 * periodically; links with a dead end are marked DOWN, by the upstream agent or, when the
 * upstream itself is dead, by one designated control agent.
 * {@link dev.meshd.agent.links.LinkPlanner} decides (pure, tested alone);
 * {@link dev.meshd.agent.links.PlacementLinkReconciler} carries it out.
 */
package dev.meshd.agent.links;
