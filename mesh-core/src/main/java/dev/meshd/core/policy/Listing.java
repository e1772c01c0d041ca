package dev.meshd.core.policy;

import java.util.List;

/**
 * Every document of one kind, sorted by name, as of one store revision. A client that wants to
 * follow changes lists, then watches from {@code revision + 1}, and misses nothing.
 *
 * @param items the documents, sorted by name
 * @param revision the store revision the listing reflects
 */
public record Listing<T>(List<T> items, long revision) {

  public Listing {
    items = List.copyOf(items);
  }
}
