package dev.meshd.sim.testing;

import dev.meshd.core.config.ConfigException;
import dev.meshd.sim.config.SimConfig;
import dev.meshd.sim.config.SimConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes YAML (and trace CSVs) to a temporary directory and loads them as configs. */
public final class TestConfigs {

  private TestConfigs() {}

  public static Path write(Path dir, String name, String text) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SimConfig load(Path dir, String yaml) {
    try {
      return SimConfigLoader.load(write(dir, "sim.yaml", yaml), Map.of());
    } catch (ConfigException e) {
      throw new AssertionError("config should be valid:\n" + e.getMessage(), e);
    }
  }

  /**
   * One cell, one worker of a profile given as YAML flow fields, a trace of the given CSV lines
   * (after the header), no network jitter and near-zero RTT: a fixture whose latencies can be
   * worked out by hand.
   */
  public static SimConfig oneWorker(Path dir, String profileFields, String modelFields,
      String... traceLines) {
    write(dir, "trace.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n"
        + String.join("\n", traceLines) + "\n");
    return load(dir, """
        seed: 1
        duration: 1h
        strategies: [least_queue]
        workload:
          arrivals: {process: trace, trace: trace.csv, loop: false}
          types: [{name: llm, model: m, prompt-tokens: {dist: constant, value: 1},
                   output-tokens: {dist: constant, value: 1}}]
          tenants: {count: 1}
        fleet:
          cells: 1
          nodes: [{count: 1, profile: P}]
          profiles: [{name: P, %s}]
        models: [{name: m, %s}]
        network: {intra-cell-rtt: 2us, noise: 0}
        signals:
          runtime: {period: 1h}
          gpu: {period: 1h}
        """.formatted(profileFields, modelFields));
  }
}
