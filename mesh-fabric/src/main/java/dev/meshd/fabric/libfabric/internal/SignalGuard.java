package dev.meshd.fabric.libfabric.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Keeps a native library's load from taking the JVM's signal handlers.
 *
 * <p>Debian's {@code libfabric.so.1} links the psm provider's {@code libinfinipath.so.4}, whose
 * load-time constructor installs its own SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGABRT handlers
 * (to print a backtrace) unless {@code IPATH_NO_BACKTRACE} is set. HotSpot uses SIGSEGV for
 * its own purposes (implicit null checks, safepoint polls), so with the library's handler in
 * place the JVM's next deliberate fault kills the process ("java: terminated with signal 11").
 * Hence, around the load: {@code IPATH_NO_BACKTRACE=1} is set (if unset) so that library never
 * installs its handlers, and, for any other library that does the same, every standard
 * signal's disposition is saved before and put back after. The first step closes the window
 * in which a JVM thread could fault between the load and the restore; the second catches what
 * the first does not know about.
 *
 * <p>{@code setenv} is not thread-safe against concurrent {@code getenv} in C; the JVM reads
 * its environment at start-up, and this runs once per library.
 */
@SuppressWarnings("restricted")
final class SignalGuard {

  /**
   * {@code struct sigaction} is 152 bytes on x86_64 glibc; room for any other ABI. Its first
   * member is the handler ({@code sa_handler}/{@code sa_sigaction}) on every Linux ABI.
   */
  private static final long SIGACTION_BYTES = 512;
  /** Standard signals; real-time ones (32+) are glibc's or the application's, not HotSpot's. */
  private static final int LAST_STANDARD_SIGNAL = 31;
  private static final int SIGKILL = 9;
  private static final int SIGSTOP = 19;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle SIGACTION = LINKER.downcallHandle(
      LINKER.defaultLookup().find("sigaction").orElseThrow(),
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  private static final MethodHandle SETENV = LINKER.downcallHandle(
      LINKER.defaultLookup().find("setenv").orElseThrow(),
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));

  private SignalGuard() {}

  /** What {@code load} returned, and the signals whose handlers it changed (and were reset). */
  record Guarded<T>(T value, List<Integer> restoredSignals) {}

  /** Runs {@code load} with the JVM's signal handlers kept; see the class comment. */
  static <T> Guarded<T> load(Supplier<T> load) {
    try (Arena arena = Arena.ofConfined()) {
      // overwrite = 0: an operator who set it either way keeps their choice.
      int unused = (int) SETENV.invokeExact(arena.allocateFrom("IPATH_NO_BACKTRACE"),
          arena.allocateFrom("1"), 0);
      MemorySegment[] saved = new MemorySegment[LAST_STANDARD_SIGNAL + 1];
      for (int signal = 1; signal <= LAST_STANDARD_SIGNAL; signal++) {
        if (signal == SIGKILL || signal == SIGSTOP) {
          continue;
        }
        MemorySegment action = arena.allocate(SIGACTION_BYTES);
        if ((int) SIGACTION.invokeExact(signal, MemorySegment.NULL, action) == 0) {
          saved[signal] = action;
        }
      }
      T value = load.get();
      List<Integer> restored = new ArrayList<>();
      MemorySegment now = arena.allocate(SIGACTION_BYTES);
      for (int signal = 1; signal <= LAST_STANDARD_SIGNAL; signal++) {
        if (saved[signal] == null) {
          continue;
        }
        int rc = (int) SIGACTION.invokeExact(signal, MemorySegment.NULL, now);
        // Only the handler is compared: glibc fills the 128-byte sa_mask from a kernel mask of
        // 8 bytes and leaves the rest as it found it on its stack, so whole structs differ.
        if (rc == 0 && now.get(ADDRESS, 0).address() != saved[signal].get(ADDRESS, 0).address()) {
          int reset = (int) SIGACTION.invokeExact(signal, saved[signal], MemorySegment.NULL);
          if (reset == 0) {
            restored.add(signal);
          }
        }
      }
      return new Guarded<>(value, List.copyOf(restored));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("sigaction/setenv: " + t, t);
    }
  }
}
