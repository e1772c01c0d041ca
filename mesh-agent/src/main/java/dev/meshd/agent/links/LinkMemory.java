package dev.meshd.agent.links;

import java.time.Instant;
import java.util.Objects;

/**
 * What the upstream agent remembers of its last negotiation of a link, beyond what the store
 * says: the fabric identities of the two ends it negotiated with, when it last tried, and how
 * many tries in a row failed (for the backoff).
 *
 * @param upstreamFabric {@link FabricIdentity} of the upstream end at the last try
 * @param downstreamFabric {@link FabricIdentity} of the downstream end at the last try
 * @param lastAttempt when the last try ended
 * @param failuresInARow consecutive failed tries; 0 after a success
 */
public record LinkMemory(long upstreamFabric, long downstreamFabric, Instant lastAttempt,
    int failuresInARow) {

  public LinkMemory {
    Objects.requireNonNull(lastAttempt, "lastAttempt");
  }
}
