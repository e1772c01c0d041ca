package dev.meshd.fabric.libfabric.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

@SuppressWarnings("restricted")
class SignalGuardTest {

  private static final int SIGUSR2 = 12;
  private static final Linker LINKER = Linker.nativeLinker();
  /** {@code sighandler_t signal(int, sighandler_t)}. */
  private static final MethodHandle SIGNAL = LINKER.downcallHandle(
      LINKER.defaultLookup().find("signal").orElseThrow(),
      FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
  /** {@code SIG_IGN}. */
  private static final MemorySegment IGNORE = MemorySegment.ofAddress(1);

  @Test
  void aHandlerInstalledDuringTheLoadIsPutBack() throws Throwable {
    MemorySegment before = (MemorySegment) SIGNAL.invokeExact(SIGUSR2, IGNORE);
    MemorySegment restoredTo = (MemorySegment) SIGNAL.invokeExact(SIGUSR2, before);

    SignalGuard.Guarded<String> guarded = SignalGuard.load(() -> {
      try {
        // What libinfinipath's constructor does to SIGSEGV, done here to a harmless signal.
        MemorySegment unused = (MemorySegment) SIGNAL.invokeExact(SIGUSR2, IGNORE);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
      return "loaded";
    });
    MemorySegment after = (MemorySegment) SIGNAL.invokeExact(SIGUSR2, before);

    assertThat(restoredTo).isEqualTo(IGNORE);
    assertThat(guarded.value()).isEqualTo("loaded");
    assertThat(guarded.restoredSignals()).containsExactly(SIGUSR2);
    assertThat(after.address()).isEqualTo(before.address());
  }

  @Test
  void loadingLibfabricLeavesTheJvmsHandlersAlone() throws Exception {
    FabricLibrary library;
    try {
      library = FabricLibrary.load(FabricLibrary.DEFAULT_NAME);
    } catch (LibraryUnavailableException e) {
      Assumptions.abort(
          "libfabric not installed (apt-get install libfabric1 libfabric-bin); .ci/run installs it");
      return;
    }
    // IPATH_NO_BACKTRACE keeps libinfinipath from installing anything, so nothing needed
    // restoring; the JVM survived its own SIGSEGVs since, or this test would not report.
    assertThat(library.restoredSignals()).isEmpty();
  }
}
