package dev.meshd.gossip;

import java.util.Locale;

/** Why a gossiped record was dropped; the {@code reason} label of the rejection counter. */
public enum RejectionReason {
  /** The sender has no cluster key, or a different one. */
  BAD_MAC,
  /** This agent has no cluster key but the sender signs: the fleets differ. */
  UNEXPECTED_MAC,
  /** Not our envelope, or a truncated one. */
  MALFORMED,
  /** A valid signature over a record that does not describe the member that sent it. */
  ADDRESS_MISMATCH;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
