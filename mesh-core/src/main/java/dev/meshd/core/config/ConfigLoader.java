package dev.meshd.core.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an agent config file (YAML, keys as in docs/configuration.md) into a validated {@link
 * AgentConfig}.
 *
 * <p>Every problem is collected before anything is thrown, and each names the file, the line and
 * column, and the dotted key, e.g. {@code node1.yaml:7:3: listen.grpc: "127.0.0.1" (expected:
 * host:port)}. Scalars go through {@code ${ENV}} substitution before they are interpreted; paths
 * are resolved against the config file's directory.
 *
 * <p>Stateless and thread-safe. The environment and the default host id are parameters of the
 * full overload, so that tests never depend on the machine; the shorter overloads fill them in
 * from the process environment and this machine.
 */
public final class ConfigLoader {

  private static final List<String> TOP_KEYS = List.of("node", "listen", "gossip", "raft", "gpus",
      "runtimes", "fabric", "telemetry", "security", "logging", "router");

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private static final Pattern DURATION = Pattern.compile("(?:\\d+(?:ms|s|m|h))+");

  private static final String DURATION_EXPECTED =
      "(expected: a duration such as 250ms, 5s, 2m, 1h, 1m30s or PT5S)";

  private ConfigLoader() {}

  /** Loads {@code file} with the process environment and this machine's host id. */
  public static AgentConfig load(Path file) throws ConfigException {
    return load(file, System.getenv());
  }

  /** Loads {@code file} with {@code env} for {@code ${ENV}} substitution. */
  public static AgentConfig load(Path file, Map<String, String> env) throws ConfigException {
    return load(file, env, HostIdentity::local);
  }

  /**
   * Loads {@code file}.
   *
   * @param env variables for {@code ${NAME}} and {@code ${NAME:-default}}
   * @param defaultHostId asked for {@code node.host-id} only when the file does not set it
   * @throws ConfigException listing every problem, one per line
   */
  public static AgentConfig load(Path file, Map<String, String> env,
      Supplier<String> defaultHostId) throws ConfigException {
    return load(file, env, defaultHostId, Clock.systemUTC());
  }

  /**
   * Loads {@code file}, judging the TLS certificate's validity period at {@code clock}'s
   * instant.
   *
   * @param env variables for {@code ${NAME}} and {@code ${NAME:-default}}
   * @param defaultHostId asked for {@code node.host-id} only when the file does not set it
   * @throws ConfigException listing every problem, one per line
   */
  public static AgentConfig load(Path file, Map<String, String> env,
      Supplier<String> defaultHostId, Clock clock) throws ConfigException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(defaultHostId, "defaultHostId");
    Objects.requireNonNull(clock, "clock");
    ConfigProblems problems = new ConfigProblems(file);
    Optional<String> text = readText(file, problems);
    Optional<YamlNode> root = text.flatMap(t -> new YamlTreeReader(problems).read(t));
    problems.throwIfAny();
    // Present: every way of getting no tree has reported a problem above.
    YamlNode rootNode = root.orElseThrow();
    if (!(rootNode instanceof YamlNode.Mapping mapping)) {
      problems.add(rootNode.line(), rootNode.column(), "", rootNode.describe()
          + " (expected: a mapping with keys such as node, listen, gossip)");
      throw problems.toException();
    }
    Path source = file.toAbsolutePath().normalize();
    AgentConfig config = read(
        new MappingReader(problems, new EnvInterpolator(env), "", mapping, 1, 1, TOP_KEYS),
        source, defaultHostId, clock.instant());
    problems.throwIfAny();
    return config;
  }

  private static AgentConfig read(MappingReader top, Path source, Supplier<String> hostId,
      Instant now) {
    Path dir = source.getParent();
    NodeConfig node = NodeSection.read(top.get("node").mapping(NodeSection.KEYS), hostId);
    ListenConfig listen = ListenSection.read(top.get("listen").mapping(ListenSection.KEYS));
    boolean control = node.roles().contains(Role.CONTROL);
    RaftConfig raft = RaftSection.read(top.get("raft").mapping(RaftSection.KEYS), dir, node.id(),
        control, listen.raft());
    return new AgentConfig(
        source,
        node,
        listen,
        GossipSection.read(top.get("gossip").mapping(GossipSection.KEYS)),
        raft,
        GpusSection.read(top.get("gpus").mapping(GpusSection.KEYS), dir),
        RuntimesSection.read(top.get("runtimes")),
        FabricSection.read(top.get("fabric").mapping(FabricSection.KEYS), dir),
        TelemetrySection.read(top.get("telemetry").mapping(TelemetrySection.KEYS)),
        SecuritySection.read(top.get("security").mapping(SecuritySection.KEYS), dir,
            DialledHost.of(node.id(), listen, control ? raft.peers() : List.of()), now),
        LoggingSection.read(top.get("logging").mapping(LoggingSection.KEYS)),
        RouterSection.read(top.get("router").mapping(RouterSection.KEYS)));
  }

  private static Optional<String> readText(Path file, ConfigProblems problems) {
    try {
      if (Files.isDirectory(file)) {
        problems.add(0, 0, "", "is a directory (expected: a YAML config file)");
        return Optional.empty();
      }
      return Optional.of(Files.readString(file));
    } catch (NoSuchFileException e) {
      problems.add(0, 0, "", "no such file (expected: an agent config, e.g. examples/node1.yaml)");
    } catch (AccessDeniedException e) {
      problems.add(0, 0, "", "permission denied (expected: a file this user can read)");
    } catch (CharacterCodingException e) {
      problems.add(0, 0, "", "not UTF-8 text (expected: a YAML file in UTF-8)");
    } catch (IOException e) {
      problems.add(0, 0, "", "cannot read: " + e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Parses a duration: a sequence of {@code <n>ms}, {@code <n>s}, {@code <n>m}, {@code <n>h}
   * (such as {@code 250ms}, {@code 5s}, {@code 1m30s}), or ISO-8601 such as {@code PT5S}.
   * Negative durations are refused; zero is allowed here and refused by keys that need time.
   *
   * @throws IllegalArgumentException in the style {@code "5 s" (expected: ...)}
   */
  public static Duration parseDuration(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty " + DURATION_EXPECTED);
    }
    String s = text.strip();
    try {
      Duration d;
      if (s.startsWith("P") || s.startsWith("p")) {
        d = Duration.parse(s);
      } else if (DURATION.matcher(s).matches()) {
        d = Duration.ZERO;
        Matcher part = DURATION_PART.matcher(s);
        while (part.find()) {
          d = d.plus(unit(Long.parseLong(part.group(1)), part.group(2)));
        }
      } else {
        throw new IllegalArgumentException(YamlNode.quote(text) + " " + DURATION_EXPECTED);
      }
      if (d.isNegative()) {
        throw new IllegalArgumentException(YamlNode.quote(text) + " (expected: a duration >= 0)");
      }
      return d;
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      // Not ISO-8601, or a number too large for a Duration.
      throw new IllegalArgumentException(YamlNode.quote(text) + " " + DURATION_EXPECTED);
    }
  }

  /**
   * The shortest form {@link #parseDuration} reads back: {@code 500ms}, {@code 5s}, {@code 2m},
   * {@code 1h}, {@code 1m30s}.
   */
  public static String formatDuration(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration: " + duration + " (expected: >= 0)");
    }
    if (duration.isZero()) {
      return "0s";
    }
    if (duration.toNanosPart() % 1_000_000 != 0) {
      // Below a millisecond only ISO-8601 is exact.
      return duration.toString();
    }
    StringBuilder out = new StringBuilder();
    long hours = duration.toHours();
    append(out, hours, "h");
    append(out, duration.toMinutesPart(), "m");
    append(out, duration.toSecondsPart(), "s");
    append(out, duration.toMillisPart(), "ms");
    return out.toString();
  }

  private static void append(StringBuilder out, long amount, String unit) {
    if (amount != 0) {
      out.append(amount).append(unit);
    }
  }

  private static Duration unit(long amount, String unit) {
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }
}
