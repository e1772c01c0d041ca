package dev.meshd.core.config;

import java.util.Locale;

/** What an agent does besides reporting its own capabilities. */
public enum Role {
  /** Hosts GPUs and inference runtimes. */
  GPU,
  /** Serves the inference ingress and the Route API. */
  ROUTER,
  /** Votes in the Raft group that stores policies and placements. */
  CONTROL;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
