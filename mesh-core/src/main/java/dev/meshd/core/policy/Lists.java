package dev.meshd.core.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Immutable copies that, unlike {@link List#copyOf}, keep null elements for the validators. */
final class Lists {

  private Lists() {}

  static <T> List<T> copyOf(List<T> list) {
    return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
  }
}
