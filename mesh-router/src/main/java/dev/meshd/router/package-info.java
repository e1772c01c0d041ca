/**
 * Target scoring strategies, the Route API and the OpenAI-compatible ingress.
 *
 * <p>Empty in the walking skeleton: the router issue fills it. It reads the fleet through the
 * {@code FleetView} of {@code mesh-core}.
 */
package dev.meshd.router;
