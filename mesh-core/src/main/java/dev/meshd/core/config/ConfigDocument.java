package dev.meshd.core.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A YAML config file opened for reading with the agent's rules, for the agent's loader and for
 * other tools' configs (the simulator's): every value located at its line, unknown keys reported
 * with a "did you mean", {@code ${ENV}} substitution, and every problem collected before anything
 * is thrown ({@link ConfigException}, one {@link ConfigError} per line).
 *
 * <p>Usage: {@link #open}, read the {@link #root} with {@link MappingReader} and {@link
 * ConfigValue}, then {@link #throwIfAny}. Not thread-safe; one document per load.
 */
public final class ConfigDocument {

  private final ConfigProblems problems;
  private final MappingReader root;
  private final Path source;

  private ConfigDocument(ConfigProblems problems, MappingReader root, Path source) {
    this.problems = problems;
    this.root = root;
    this.source = source;
  }

  /**
   * Reads {@code file} as one YAML mapping whose top-level keys are {@code topKeys}.
   *
   * @param env variables for {@code ${NAME}} and {@code ${NAME:-default}}
   * @param expected what the file should be, for the messages of a missing or empty file and a
   *     root that is not a mapping, e.g. {@code "a simulator config such as
   *     examples/sim/small.yaml"}
   * @throws ConfigException when the file cannot be read or is not a YAML mapping
   */
  public static ConfigDocument open(Path file, Map<String, String> env, List<String> topKeys,
      String expected) throws ConfigException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(env, "env");
    ConfigProblems problems = new ConfigProblems(file);
    Optional<String> text = readText(file, problems, expected);
    Optional<YamlNode> root = text.flatMap(t -> new YamlTreeReader(problems, expected).read(t));
    problems.throwIfAny();
    // Present: every way of getting no tree has reported a problem above.
    YamlNode rootNode = root.orElseThrow();
    if (!(rootNode instanceof YamlNode.Mapping mapping)) {
      problems.add(rootNode.line(), rootNode.column(), "", rootNode.describe()
          + " (expected: a mapping with keys such as " + String.join(", ",
              topKeys.subList(0, Math.min(3, topKeys.size()))) + ")");
      throw problems.toException();
    }
    return new ConfigDocument(problems,
        new MappingReader(problems, new EnvInterpolator(env), "", mapping, 1, 1, topKeys),
        file.toAbsolutePath().normalize());
  }

  /** The top-level mapping. */
  public MappingReader root() {
    return root;
  }

  /** The file, absolute and normalized: relative paths in it resolve against its directory. */
  public Path source() {
    return source;
  }

  /** Throws every problem reported so far, if any. */
  public void throwIfAny() throws ConfigException {
    problems.throwIfAny();
  }

  private static Optional<String> readText(Path file, ConfigProblems problems, String expected) {
    try {
      if (Files.isDirectory(file)) {
        problems.add(0, 0, "", "is a directory (expected: " + expected + ")");
        return Optional.empty();
      }
      return Optional.of(Files.readString(file));
    } catch (NoSuchFileException e) {
      problems.add(0, 0, "", "no such file (expected: " + expected + ")");
    } catch (AccessDeniedException e) {
      problems.add(0, 0, "", "permission denied (expected: a file this user can read)");
    } catch (CharacterCodingException e) {
      problems.add(0, 0, "", "not UTF-8 text (expected: a YAML file in UTF-8)");
    } catch (IOException e) {
      problems.add(0, 0, "", "cannot read: " + e.getMessage());
    }
    return Optional.empty();
  }
}
