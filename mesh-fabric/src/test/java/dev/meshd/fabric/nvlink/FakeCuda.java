package dev.meshd.fabric.nvlink;

import dev.meshd.fabric.peercopy.FakeGpuLibrary;
import java.nio.file.Path;

/**
 * A fake {@code libcuda.so} built with gcc from {@code fake-cuda/fake_cuda.c}: its "GPUs" are
 * host memory, its {@code fake_cuda_set_...} hooks configure it and its counters show what the
 * probe left behind.
 */
final class FakeCuda extends FakeGpuLibrary {

  private FakeCuda(Path path) {
    super(path);
  }

  /** Compiles the fake into {@code dir/name} and opens it; skips the test without gcc. */
  static FakeCuda compile(Path dir, String name) throws Exception {
    return new FakeCuda(compile(dir, "/fake-cuda/fake_cuda.c", name));
  }
}
