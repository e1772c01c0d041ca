/**
 * The NVLink payload probe ({@link dev.meshd.fabric.nvlink.NvlinkProbe}): peer copies between two
 * GPUs of one host through the CUDA driver API, verified and timed. The hand-written FFM binding
 * of {@code libcuda.so.1} and the copy choreography are in {@code internal}. Tests run the real
 * binding against a fake {@code libcuda.so} built with gcc from {@code fake-cuda/fake_cuda.c}.
 */
package dev.meshd.fabric.nvlink;
