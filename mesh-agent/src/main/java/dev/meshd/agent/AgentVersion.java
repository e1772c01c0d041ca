package dev.meshd.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, from {@code meshd-version.properties} filtered by Maven. */
public final class AgentVersion {

  private AgentVersion() {}

  public static String get() {
    try (InputStream in = AgentVersion.class.getResourceAsStream("/meshd-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
