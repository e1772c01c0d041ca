package dev.meshd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the build's version, from a resource that Maven filters. Stateless. */
final class CliVersion implements IVersionProvider {

  private static final String RESOURCE = "/dev/meshd/cli/version.properties";

  @Override
  public String[] getVersion() {
    return new String[] {"mesh-cli " + version() + " (Java " + Runtime.version() + ")"};
  }

  static String version() {
    try (InputStream in = CliVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        // Running from an IDE's unfiltered classes: no version to report, which is not an error.
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
