/**
 * The NVLink payload probe ({@link dev.meshd.fabric.nvlink.NvlinkProbe}) and stage transport:
 * peer copies between two GPUs of one host through the CUDA driver API, verified and timed by the
 * shared {@code dev.meshd.fabric.peercopy} probe. The hand-written FFM binding of {@code
 * libcuda.so.1} and its peer-copy driver are in {@code internal}. Tests run the real binding
 * against a fake {@code libcuda.so} built with gcc from {@code fake-cuda/fake_cuda.c}.
 */
package dev.meshd.fabric.nvlink;
