package dev.meshd.fabric.xgmi;

import dev.meshd.fabric.peercopy.FakeGpuLibrary;
import java.nio.file.Path;

/**
 * A fake {@code libamdhip64.so} built with gcc from {@code fake-hip/fake_hip.c}: its "GPUs" are
 * host memory, its {@code fake_hip_set_...} hooks configure it (device count, hipInit's result
 * and delay, peer access, link types, PCI buses, corruption, copy delay) and its counters show
 * what the probe left behind (allocations, peer access enabled, copies without peer access).
 */
final class FakeHip extends FakeGpuLibrary {

  private FakeHip(Path path) {
    super(path);
  }

  /** Compiles the fake into {@code dir/name} and opens it; skips the test without gcc. */
  static FakeHip compile(Path dir, String name) throws Exception {
    return new FakeHip(compile(dir, "/fake-hip/fake_hip.c", name));
  }
}
