package dev.meshd.fabric.libfabric.internal;

import java.util.List;
import java.util.Objects;

/**
 * Where libfabric discovery learns what providers exist: {@code fi_getinfo} in-process
 * ({@link FfmProviderSource}) or the {@code fi_info} tool's output ({@link FiInfoToolSource}).
 */
public interface ProviderSource {

  /** One provider's answer. */
  sealed interface Answer {
    /** {@code fi_getinfo} returned these results (and the text had these problems). */
    record Found(List<FiInfoEntry> entries, List<String> problems) implements Answer {
      public Found {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
      }
    }

    /** No such provider here: {@code detail} says how libfabric put it. */
    record Absent(String detail) implements Answer {
      public Absent {
        Objects.requireNonNull(detail, "detail");
      }
    }

    /** The question could not be asked (the tool hung, a call failed unexpectedly). */
    record Failed(String detail) implements Answer {
      public Failed {
        Objects.requireNonNull(detail, "detail");
      }
    }
  }

  /** One answer per provider name ({@code tcp}, {@code verbs;ofi_rxm}), in the same order. */
  List<Answer> query(List<String> providers);
}
