package dev.meshd.sim.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.config.ConfigError;
import dev.meshd.core.config.ConfigException;
import dev.meshd.sim.testing.TestConfigs;
import dev.meshd.sim.workload.Arrivals;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config errors name the file, the line and the dotted key, say what was expected, and come all
 * at once; every example {@code generate} writes is valid.
 */
class SimConfigLoaderTest {

  @TempDir
  Path dir;

  private static final String VALID = """
      seed: 1
      duration: 10s
      workload:
        arrivals: {process: poisson, rate: 100}
        types:
          - name: llm
            model: m
            prompt-tokens: {dist: lognormal, mu: 3.8, sigma: 0.6}
            output-tokens: {dist: lognormal, mu: 4.6, sigma: 0.7}
      fleet:
        cells: 2
        nodes: [{count: 4, profile: H100-80G}]
      models:
        - {name: m, weights-gb: 16, kv-bytes-per-token: 131072}
      """;

  private List<ConfigError> errors(String yaml) {
    Path file = TestConfigs.write(dir, "bad.yaml", yaml);
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> SimConfigLoader.load(file, Map.of()));
    return e.errors();
  }

  @Test
  void aValidConfigLoadsWithDefaults() {
    SimConfig c = TestConfigs.load(dir, VALID);
    assertThat(c.strategies()).hasSize(6).contains("hybrid", "round_robin");
    assertThat(c.workload().arrivals()).isEqualTo(new Arrivals.Poisson(100));
    assertThat(c.fleet().profiles()).containsKeys("H100-80G", "A100-80G", "L40S-48G");
    assertThat(c.router().rebuildInterval().toNanos()).isEqualTo(2_000_000L);
    assertThat(c.signals().runtime().period().toMillis()).isEqualTo(500);
    assertThat(c.network().intraCellRtt().toNanos()).isEqualTo(200_000);
  }

  @Test
  void anUnknownKeyIsAnErrorNamingItsLineAndTheKeyMeant() {
    List<ConfigError> e = errors(VALID.replace("  arrivals:", "  arivals:"));
    assertThat(e).anySatisfy(err -> {
      assertThat(err.line()).isEqualTo(4);
      assertThat(err.key()).isEqualTo("workload.arivals");
      assertThat(err.message()).contains("unknown key").contains("did you mean arrivals?");
    });
  }

  @Test
  void aBadValueNamesTheFieldTheLineAndWhatWasExpected() {
    List<ConfigError> e = errors(VALID.replace("cells: 2", "cells: two")
        .replace("sigma: 0.6", "sigma: -1"));
    assertThat(e).extracting(ConfigError::toString).anySatisfy(s -> assertThat(s)
        .contains("bad.yaml:11:3: fleet.cells: \"two\"").contains("expected: an integer >= 1"));
    assertThat(e).anySatisfy(err -> {
      assertThat(err.line()).isEqualTo(8);
      assertThat(err.key()).isEqualTo("workload.types[0].prompt-tokens.sigma");
      assertThat(err.message()).contains("expected: a number >= 0");
    });
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    List<ConfigError> e = errors(VALID.replace("rate: 100", "rate: fast")
        .replace("model: m", "model: nope").replace("profile: H100-80G", "profile: H200")
        .replace("duration: 10s", "duration: 10 seconds"));
    assertThat(e).extracting(ConfigError::key).contains("duration", "workload.arrivals.rate",
        "workload.types[0].model", "fleet.nodes[0].profile");
    assertThat(e).filteredOn(err -> err.key().equals("workload.types[0].model")).first()
        .satisfies(err -> assertThat(err.message()).contains("\"nope\"").contains("one of m"));
  }

  @Test
  void placementsThatDoNotFitTheFleetAreRefusedAtTheirKey() {
    List<ConfigError> e = errors(VALID.replace("kv-bytes-per-token: 131072}",
        "kv-bytes-per-token: 131072, placements: [{replicas: 9}]}"));
    assertThat(e).singleElement().satisfies(err -> {
      assertThat(err.key()).isEqualTo("models[0].placements[0].replicas");
      assertThat(err.line()).isEqualTo(14);
      assertThat(err.message()).contains("9 replica(s)").contains("expected: at most 8");
    });
  }

  @Test
  void copiesThatDoNotFitAreRefusedAtTheirPlacementNamingTheCopy() {
    List<ConfigError> e = errors(VALID.replace("{name: m, weights-gb: 16",
        "{name: m, copies: 3, weights-gb: 16").replace("kv-bytes-per-token: 131072}",
        "kv-bytes-per-token: 131072, placements: [{replicas: 3}]}"));
    assertThat(e).singleElement().satisfies(err -> {
      assertThat(err.key()).isEqualTo("models[0].placements[0].replicas");
      assertThat(err.message()).contains("m-2: 3 replica(s)").contains("expected: at most 2");
    });
    assertThat(errors(VALID.replace("{name: m, weights-gb: 16",
        "{name: m, copies: 0, weights-gb: 16"))).singleElement()
        .satisfies(err -> assertThat(err.key()).isEqualTo("models[0].copies"));
  }

  @Test
  void aMissingSectionAndAMissingTraceAreNamed() {
    List<ConfigError> e = errors("""
        fleet: {cells: 1, nodes: [{count: 1, profile: H100-80G}]}
        models: [{name: m}]
        workload:
          arrivals: {process: trace, trace: no-such.csv}
          types: [{name: llm, model: m, prompt-tokens: {dist: constant, value: 1},
                   output-tokens: {dist: gamma, shape: 2}}]
        """);
    assertThat(e).extracting(ConfigError::key).contains("workload.arrivals.trace",
        "workload.types[0].output-tokens.dist", "workload.types[0].output-tokens.shape");
    assertThat(e).filteredOn(err -> err.key().equals("workload.arrivals.trace")).first()
        .satisfies(err -> assertThat(err.message()).contains("no such file"));
  }

  @Test
  void microsecondDurationsAreAccepted() {
    SimConfig c = TestConfigs.load(dir, VALID + "network: {intra-cell-rtt: 150us}\n");
    assertThat(c.network().intraCellRtt().toNanos()).isEqualTo(150_000);
    assertThat(errors(VALID + "network: {intra-cell-rtt: 0us}\n")).singleElement()
        .satisfies(err -> assertThat(err.key()).isEqualTo("network.intra-cell-rtt"));
  }

  @Test
  void everyExampleIsValid() {
    for (String name : Examples.NAMES) {
      if (name.equals("large")) {
        continue; // valid too, but builds 131k GPU units: checked by size below
      }
      SimConfig c = TestConfigs.load(dir, Examples.yaml(name));
      assertThat(c.strategies()).as(name).hasSize(6);
    }
    assertThat(Examples.yaml("large")).contains("cells: 128");
    assertThatThrownBy(() -> Examples.yaml("huge")).hasMessageContaining("expected: one of");
  }

  @Test
  void theSmallExampleIsInferMeshsSmall() {
    SimConfig c = TestConfigs.load(dir, Examples.yaml("small"));
    assertThat(c.seed()).isEqualTo(42);
    assertThat(c.duration().toSeconds()).isEqualTo(300);
    assertThat(c.workload().arrivals()).isEqualTo(new Arrivals.Poisson(800));
    assertThat(c.fleet().cells()).isEqualTo(4);
    assertThat(c.fleet().groups().getFirst().count()).isEqualTo(128);
    var h100 = c.fleet().profiles().get("H100-80G");
    assertThat(h100.tokensPerS()).isEqualTo(240_000);
    assertThat(h100.concurrency()).isEqualTo(16);
    assertThat(h100.batchWindow().toMillis()).isEqualTo(8);
    assertThat(c.models().getFirst().kvBytesPerRequest()).isEqualTo(1_000_000_000L);
    assertThat(c.workload().sla().boundNanos(500)).isEqualTo(5_000_000_000L);
    assertThat(c.workload().sla().boundNanos(3000)).isEqualTo(15_000_000_000L);
  }
}
