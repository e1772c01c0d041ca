package dev.meshd.fabric.libfabric.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The fake {@code libfabric.so} ({@code fake-libfabric/fake_fabric.c}), built from the real
 * headers with gcc, loaded, and its test controls bound: which step fails (or which demands
 * its provider makes: {@code "rdma demands"}), the log of every open and close, the number of
 * objects still alive, and the descriptor and context of the last send.
 */
@SuppressWarnings("restricted")
public final class FakeFabric {

  private final Path path;
  private final FabricLibrary library;
  private final MethodHandle reset;
  private final MethodHandle log;
  private final MethodHandle live;
  private final MethodHandle lastDescriptor;
  private final MethodHandle lastContext;

  private FakeFabric(Path path) throws Exception {
    this.path = path;
    this.library = FabricLibrary.load(path.toString());
    SymbolLookup controls = SymbolLookup.libraryLookup(path, Arena.global());
    Linker linker = Linker.nativeLinker();
    reset = linker.downcallHandle(controls.find("fake_reset").orElseThrow(),
        FunctionDescriptor.ofVoid(ADDRESS));
    log = linker.downcallHandle(controls.find("fake_log").orElseThrow(),
        FunctionDescriptor.of(ADDRESS));
    live = linker.downcallHandle(controls.find("fake_live").orElseThrow(),
        FunctionDescriptor.of(JAVA_INT));
    lastDescriptor = linker.downcallHandle(controls.find("fake_last_desc").orElseThrow(),
        FunctionDescriptor.of(ADDRESS));
    lastContext = linker.downcallHandle(controls.find("fake_last_context").orElseThrow(),
        FunctionDescriptor.of(ADDRESS));
  }

  /** Compiles the fake into {@code dir}; skips the test without gcc or libfabric's headers. */
  public static FakeFabric build(Path dir) throws Exception {
    Assumptions.assumeTrue(Files.exists(Path.of("/usr/include/rdma/fabric.h")),
        "libfabric headers not installed (apt-get install libfabric-dev); .ci/run installs them");
    Path source = dir.resolve("fake_fabric.c");
    try (InputStream in = FakeFabric.class.getResourceAsStream(
        "/fake-libfabric/fake_fabric.c")) {
      Files.copy(in, source);
    }
    Path lib = dir.resolve("libfakefabric.so");
    Process gcc;
    try {
      gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", lib.toString(),
          source.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("gcc is not installed: cannot build the fake libfabric");
      throw e;
    }
    String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(gcc.exitValue()).as(output).isZero();
    return new FakeFabric(lib);
  }

  public Path path() {
    return path;
  }

  public FabricLibrary library() {
    return library;
  }

  /** Clears the fake's log and makes {@code step} fail ("" for none). */
  public void failAt(String step) throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      reset.invokeExact(arena.allocateFrom(step));
    }
  }

  public String log() throws Throwable {
    return ((MemorySegment) log.invokeExact()).reinterpret(8192).getString(0);
  }

  /** fi_info lists and fids the fake handed out and that were not freed or closed yet. */
  public int live() throws Throwable {
    return (int) live.invokeExact();
  }

  /** The {@code desc} argument of the last {@code fi_send}. */
  public long lastDescriptor() throws Throwable {
    return ((MemorySegment) lastDescriptor.invokeExact()).address();
  }

  /** The {@code context} argument of the last {@code fi_send}. */
  public long lastContext() throws Throwable {
    return ((MemorySegment) lastContext.invokeExact()).address();
  }
}
