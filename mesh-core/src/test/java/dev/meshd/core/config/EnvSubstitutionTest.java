package dev.meshd.core.config;

import static dev.meshd.core.config.ConfigFiles.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvSubstitutionTest {

  private static final Map<String, String> ENV =
      Map.of("NODE_ID", "n7", "GPUS", "4", "EMPTY", "", "ADDR", "nowhere", "HOST", "10.0.0.9");

  @TempDir Path dir;

  private ConfigFiles files;

  @BeforeEach
  void setUp() {
    files = new ConfigFiles(dir, ENV);
  }

  @Test
  void setVariablesAreSubstitutedBeforeInterpretation() throws Exception {
    AgentConfig config = files.load("""
        node: {id: "${NODE_ID}", zone: "zone-${NODE_ID}"}
        listen: {grpc: "${HOST}:7070"}
        gpus:
          source: simulated
          simulated:
            - model: H100
              count: ${GPUS}
              vram-gb: 80
        """);

    assertThat(config.node().id()).isEqualTo("n7");
    assertThat(config.node().zone()).isEqualTo("zone-n7");
    assertThat(config.listen().grpc()).isEqualTo(new HostPort("10.0.0.9", 7070));
    assertThat(config.gpus().simulated().getFirst().count()).isEqualTo(4);
  }

  @Test
  void defaultAppliesWhenUnsetOrEmpty() throws Exception {
    AgentConfig config = files.load("""
        node: {id: n1, zone: "${ZONE:-z9}", region: "${EMPTY:-r1}", host-id: "${NODE_ID:-x}"}
        telemetry: {otlp-endpoint: "${OTLP:-}"}
        """);

    assertThat(config.node().zone()).isEqualTo("z9");
    assertThat(config.node().region()).isEqualTo("r1");
    assertThat(config.node().hostId()).isEqualTo("n7");
    // An empty value means "not set" for optional keys.
    assertThat(config.telemetry().otlpEndpoint()).isEmpty();
  }

  @Test
  void unsetVariableWithoutDefaultNamesKeyAndLine() {
    ConfigException e = files.failure("""
        node:
          id: n1
          zone: "${ZONE}"
        """);

    assertError(e, 3, "node.zone",
        "${ZONE}: environment variable ZONE is not set (expected: set it, or give a default: "
            + "${ZONE:-value})");
  }

  @Test
  void substitutedValueIsValidatedUnderItsKey() {
    ConfigException e = files.failure("""
        node: {id: n1}
        listen:
          grpc: ${ADDR}
        """);

    assertError(e, 3, "listen.grpc", "\"nowhere\" (expected: host:port)");
  }

  @Test
  void doubleDollarIsALiteralDollar() throws Exception {
    AgentConfig config = files.load("""
        node:
          id: n1
          labels: {price: "$$5", mixed: "$$${NODE_ID}", lone: "a$b", end: "x$"}
        """);

    assertThat(config.node().labels()).containsExactlyInAnyOrderEntriesOf(
        Map.of("price", "$5", "mixed", "$n7", "lone", "a$b", "end", "x$"));
  }

  @Test
  void malformedReferencesAreErrors() {
    EnvInterpolator env = new EnvInterpolator(ENV);

    assertThatThrownBy(() -> env.apply("${NODE_ID"))
        .hasMessageContaining("unterminated ${");
    assertThatThrownBy(() -> env.apply("${1X}"))
        .hasMessageContaining("bad variable name \"1X\"");
    assertThatThrownBy(() -> env.apply("${}"))
        .hasMessageContaining("bad variable name");
    assertThat(env.apply("${NODE_ID:-a:-b}")).isEqualTo("n7");
    assertThat(env.apply("${MISSING:-a:-b}")).isEqualTo("a:-b");
  }

  @Test
  void keysAreNotSubstituted() {
    ConfigException e = files.failure("""
        node: {id: n1, "${NODE_ID}": x}
        """);

    assertError(e, 1, "node.${NODE_ID}", "unknown key");
  }
}
