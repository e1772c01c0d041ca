package dev.meshd.core.policy;

/** What a {@link StoreChange} did to its document. */
public enum ChangeType {
  PUT,
  DELETE
}
