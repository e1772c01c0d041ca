package dev.meshd.agent.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Who a token belongs to. {@code viewer} reads, {@code operator} also writes policies and
 * placements and drains nodes, {@code admin} also changes the Raft membership and takes
 * snapshots; {@code agent} is the credential agents derive from the cluster key for calls to each
 * other and cannot be given to a person in the tokens file.
 */
public enum Role {
  VIEWER(EnumSet.of(Permission.READ)),
  OPERATOR(EnumSet.of(Permission.READ, Permission.WRITE)),
  ADMIN(EnumSet.of(Permission.READ, Permission.WRITE, Permission.ADMIN)),
  AGENT(EnumSet.of(Permission.READ, Permission.WRITE, Permission.INTERNAL));

  private final Set<Permission> grants;

  Role(Set<Permission> grants) {
    this.grants = grants;
  }

  public boolean allows(Permission permission) {
    return grants.contains(permission);
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
