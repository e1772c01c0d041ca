package dev.meshd.fabric.libfabric.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Asks {@code fi_getinfo} in-process, once per provider, with the hints {@code fi_info} uses
 * for its listing ({@link FiHints#listing}), so that a provider is found even when it demands
 * modes or memory registration the probe transport does not offer. Thread-safe.
 */
public final class FfmProviderSource implements ProviderSource {

  private final FabricLibrary library;

  public FfmProviderSource(FabricLibrary library) {
    this.library = Objects.requireNonNull(library, "library");
  }

  @Override
  public List<Answer> query(List<String> providers) {
    List<Answer> answers = new ArrayList<>(providers.size());
    for (String provider : providers) {
      answers.add(query(provider));
    }
    return answers;
  }

  private Answer query(String provider) {
    try (FiInfoList list = library.getinfo(null, 0, FiHints.listing(provider))) {
      List<FiInfoEntry> entries = list.entries();
      return entries.isEmpty()
          ? new Answer.Absent("fi_getinfo returned no entries")
          : new Answer.Found(entries, List.of());
    } catch (FabricCallException e) {
      return new Answer.Absent(e.getMessage());
    } catch (RuntimeException e) {
      return new Answer.Failed("fi_getinfo: " + e);
    }
  }
}
