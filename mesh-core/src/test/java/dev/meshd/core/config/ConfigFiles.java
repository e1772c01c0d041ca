package dev.meshd.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes config files into a test's temp dir and loads them with a fixed environment. */
final class ConfigFiles {

  static final String HOST_ID = "test-host";

  private final Path dir;
  private final Map<String, String> env;

  ConfigFiles(Path dir, Map<String, String> env) {
    this.dir = dir;
    this.env = env;
  }

  Path write(String name, String yaml) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  AgentConfig load(String yaml) throws ConfigException {
    return ConfigLoader.load(write("agent.yaml", yaml), env, () -> HOST_ID);
  }

  /** Loads {@code yaml} as {@code bad.yaml}, which must fail. */
  ConfigException failure(String yaml) {
    Path file = write("bad.yaml", yaml);
    try {
      ConfigLoader.load(file, env, () -> HOST_ID);
    } catch (ConfigException e) {
      return e;
    }
    return fail("expected a ConfigException for:\n" + yaml);
  }

  /**
   * Asserts that one error names {@code bad.yaml}, {@code line} and {@code key} (both in the
   * record and in the rendered message) and contains every fragment.
   */
  static void assertError(ConfigException e, int line, String key, String... fragments) {
    assertThat(e.errors())
        .as(e.getMessage())
        .anySatisfy(error -> {
          assertThat(error.file().getFileName().toString()).isEqualTo("bad.yaml");
          assertThat(error.line()).isEqualTo(line);
          assertThat(error.key()).isEqualTo(key);
          String rendered = error.toString();
          assertThat(rendered).contains("bad.yaml:" + line + ":");
          assertThat(rendered).contains(key.isEmpty() ? "" : ": " + key + ": ");
          assertThat(rendered).contains(fragments);
        });
    assertThat(e.getMessage()).contains("bad.yaml:" + line + ":");
  }
}
