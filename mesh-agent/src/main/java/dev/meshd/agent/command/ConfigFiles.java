package dev.meshd.agent.command;

import dev.meshd.agent.auth.TokensFile;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.ConfigException;
import dev.meshd.core.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Loads and checks a config for {@code start} and {@code validate}, reporting every error. */
final class ConfigFiles {

  private ConfigFiles() {}

  /** The config, or null after printing every error (one per line) to {@code err}. */
  static AgentConfig loadOrReport(Path file, PrintWriter err) {
    AgentConfig config;
    try {
      config = ConfigLoader.load(file);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      err.flush();
      return null;
    }
    try {
      config.security().tokensFile().ifPresent(TokensFile::read);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.flush();
      return null;
    }
    return config;
  }
}
