package dev.meshd.fabric.nvlink;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A fake {@code libcuda.so} built with gcc from {@code fake-cuda/fake_cuda.c}, and a handle on it
 * for the test to configure the fake and read its counters. While open, the handle keeps the
 * library loaded, so the settings made before a probe loads it are the ones the probe sees (the
 * loader hands out one instance per file). Each test builds its own file, hence its own state.
 */
@SuppressWarnings("restricted")
final class FakeCuda implements AutoCloseable {

  private final Path path;
  private final Arena arena = Arena.ofShared();
  private final SymbolLookup lookup;

  private FakeCuda(Path path) {
    this.path = path;
    this.lookup = SymbolLookup.libraryLookup(path, arena);
  }

  /** Compiles the fake into {@code dir/name} and opens it; skips the test without gcc. */
  static FakeCuda compile(Path dir, String name) throws Exception {
    Assumptions.assumeTrue(gccAvailable(), "gcc is not installed: cannot build the fake CUDA");
    Path source = dir.resolve("fake_cuda.c");
    if (!Files.exists(source)) {
      try (InputStream in = FakeCuda.class.getResourceAsStream("/fake-cuda/fake_cuda.c")) {
        Files.copy(in, source);
      }
    }
    Path lib = dir.resolve(name);
    Process gcc = new ProcessBuilder(List.of("gcc", "-shared", "-fPIC", "-o", lib.toString(),
        source.toString())).redirectErrorStream(true).start();
    String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(gcc.exitValue()).as(output).isZero();
    return new FakeCuda(lib);
  }

  /** The library's path, for {@link NvlinkProbe#NvlinkProbe(String)}. */
  String path() {
    return path.toString();
  }

  /** Calls one of the fake's {@code void fake_cuda_set_...(int...)} hooks. */
  void set(String function, int... args) throws Throwable {
    MemoryLayout[] layouts = new MemoryLayout[args.length];
    Arrays.fill(layouts, JAVA_INT);
    Linker.nativeLinker()
        .downcallHandle(lookup.find(function).orElseThrow(), FunctionDescriptor.ofVoid(layouts))
        .invokeWithArguments(Arrays.stream(args).boxed().toArray());
  }

  /** Reads one of the fake's {@code int fake_cuda_...(void)} counters. */
  int get(String function) throws Throwable {
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
