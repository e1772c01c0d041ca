package dev.meshd.fabric.libfabric;

import dev.meshd.fabric.libfabric.internal.FabricLibrary;
import dev.meshd.fabric.libfabric.internal.LibraryUnavailableException;
import org.junit.jupiter.api.Assumptions;

/** For tests that need the real libfabric: skipped, with the way to get it, when absent. */
public final class Libfabric {

  public static final String NOT_INSTALLED =
      "libfabric not installed (apt-get install libfabric1 libfabric-bin); .ci/run installs it";

  private Libfabric() {}

  /** The loaded library; the test is skipped when {@code libfabric.so.1} cannot be loaded. */
  public static FabricLibrary assumeInstalled() {
    try {
      return FabricLibrary.load(FabricLibrary.DEFAULT_NAME);
    } catch (LibraryUnavailableException e) {
      Assumptions.abort(NOT_INSTALLED);
      throw new AssertionError("unreachable");
    }
  }
}
