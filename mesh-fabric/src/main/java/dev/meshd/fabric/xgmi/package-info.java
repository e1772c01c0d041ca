/**
 * The XGMI (AMD Infinity Fabric) payload probe ({@link dev.meshd.fabric.xgmi.XgmiProbe}) and
 * stage transport: peer copies between two AMD GPUs of one host through the HIP runtime,
 * verified and timed by the shared {@code dev.meshd.fabric.peercopy} probe. Tests run the real
 * binding against a fake {@code libamdhip64.so} built with gcc from {@code fake-hip/fake_hip.c}.
 */
package dev.meshd.fabric.xgmi;
