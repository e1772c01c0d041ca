package dev.meshd.fabric.peercopy;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A fake GPU library (the CUDA driver, the HIP runtime) built with gcc from a C source among the
 * test resources, and a handle on it for the test to configure the fake and read its counters.
 * While open, the handle keeps the library loaded, so the settings made before a probe loads it
 * are the ones the probe sees (the loader hands out one instance per file). Each test builds its
 * own file, hence its own state.
 */
@SuppressWarnings("restricted")
public class FakeGpuLibrary implements AutoCloseable {

  private final Path path;
  private final Arena arena = Arena.ofShared();
  private final SymbolLookup lookup;

  protected FakeGpuLibrary(Path path) {
    this.path = Objects.requireNonNull(path, "path");
    this.lookup = SymbolLookup.libraryLookup(path, arena);
  }

  /**
   * Compiles the resource {@code source} (e.g. {@code /fake-hip/fake_hip.c}) into {@code
   * dir/name} and returns the library's path; skips the test without gcc.
   */
  protected static Path compile(Path dir, String source, String name) throws Exception {
    Assumptions.assumeTrue(gccAvailable(), "gcc is not installed: cannot build " + source);
    Path copy = dir.resolve(Path.of(source).getFileName().toString());
    if (!Files.exists(copy)) {
      try (InputStream in = FakeGpuLibrary.class.getResourceAsStream(source)) {
        Files.copy(Objects.requireNonNull(in, source), copy);
      }
    }
    Path lib = dir.resolve(name);
    Process gcc = new ProcessBuilder(List.of("gcc", "-shared", "-fPIC", "-o", lib.toString(),
        copy.toString())).redirectErrorStream(true).start();
    String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(gcc.exitValue()).as(output).isZero();
    return lib;
  }

  /** The library's path, for the probe's constructor. */
  public String path() {
    return path.toString();
  }

  /** Calls one of the fake's {@code void fake_..._set_...(int...)} hooks. */
  public void set(String function, int... args) throws Throwable {
    MemoryLayout[] layouts = new MemoryLayout[args.length];
    Arrays.fill(layouts, JAVA_INT);
    Linker.nativeLinker()
        .downcallHandle(lookup.find(function).orElseThrow(), FunctionDescriptor.ofVoid(layouts))
        .invokeWithArguments(Arrays.stream(args).boxed().toArray());
  }

  /** Reads one of the fake's {@code int fake_...(void)} counters. */
  public int get(String function) throws Throwable {
    return (int) Linker.nativeLinker()
        .downcallHandle(lookup.find(function).orElseThrow(), FunctionDescriptor.of(JAVA_INT))
        .invokeExact();
  }

  @Override
  public void close() {
    arena.close();
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
