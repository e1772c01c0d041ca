package dev.meshd.agent.command;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option that {@code start} and {@code validate} share. */
public final class ConfigFileOption {

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "Agent config (YAML).")
  Path file;
}
