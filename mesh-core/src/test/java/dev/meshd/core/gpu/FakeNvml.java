package dev.meshd.core.gpu;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds variants of the fake {@code libnvidia-ml.so} ({@code fake-nvml/fake_nvml.c}) with gcc,
 * so that tests run the real FFM binding, and reads the fake's test counters.
 */
@SuppressWarnings("restricted")
final class FakeNvml {

  private FakeNvml() {}

  /**
   * Compiles a variant into {@code dir/name}. No soname is set, so every variant loads as a
   * library of its own, with its own counters. Skips the test when gcc is missing.
   */
  static Path compile(Path dir, String name, String... defines) throws Exception {
    Assumptions.assumeTrue(gccAvailable(), "gcc is not installed: cannot build the fake NVML");
    Path source = dir.resolve("fake_nvml.c");
    if (!Files.exists(source)) {
      try (InputStream in = FakeNvml.class.getResourceAsStream("/fake-nvml/fake_nvml.c")) {
        Files.copy(in, source);
      }
    }
    Path lib = dir.resolve(name);
    List<String> command = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-o",
        lib.toString(), source.toString()));
    for (String define : defines) {
      command.add("-D" + define);
    }
    Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(gcc.exitValue()).as(output).isZero();
    return lib;
  }

  /** Reads one of the fake's test counters, through a second handle on the same library. */
  static int counter(Path lib, String function) throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      MethodHandle handle = Linker.nativeLinker().downcallHandle(
          SymbolLookup.libraryLookup(lib, arena).find(function).orElseThrow(),
          FunctionDescriptor.of(JAVA_INT));
      return (int) handle.invokeExact();
    }
  }

  private static boolean gccAvailable() {
    try {
      Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
