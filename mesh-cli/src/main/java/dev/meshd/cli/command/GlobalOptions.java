package dev.meshd.cli.command;

import dev.meshd.cli.connect.ServerAddress;
import dev.meshd.cli.connect.TlsSettings;
import dev.meshd.cli.output.OutputFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every verb accepts. They are inherited, so {@code mesh-cli -o json list-nodes} and
 * {@code mesh-cli list-nodes -o json} mean the same; picocli binds both spellings to this one
 * object. Defaults of {@code --server}, {@code --token} and the {@code --tls-*} files come from
 * the environment through {@link EnvironmentDefaults}. Written by the parser, then only read.
 */
public final class GlobalOptions {

  /** DESIGN's gRPC port, on loopback: a bare {@code mesh-cli} talks to the agent of its host. */
  public static final String DEFAULT_SERVER = "127.0.0.1:7070";

  @Option(
      names = "--server",
      paramLabel = "HOST:PORT",
      scope = ScopeType.INHERIT,
      converter = OptionConverters.Server.class,
      description = "Agent to talk to (env MESHD_SERVER; default ${DEFAULT-VALUE}).")
  private ServerAddress server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      scope = ScopeType.INHERIT,
      converter = OptionConverters.Token.class,
      description = "Bearer token sent on every call (env MESHD_TOKEN).")
  private String token;

  @Option(
      names = "--tls",
      scope = ScopeType.INHERIT,
      description = "Dial the agent over TLS, trusting the system's CAs (for an agent with "
          + "security.tls).")
  private boolean tls;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "Trust the agent certificates this PEM CA issued; implies --tls "
          + "(env MESHD_TLS_CA).")
  private Path tlsCa;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "Client certificate (PEM) for an agent that requires one (security.tls.ca);"
          + " needs --tls-key; implies --tls (env MESHD_TLS_CERT).")
  private Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "Private key of --tls-cert, unencrypted PKCS#8 PEM (env MESHD_TLS_KEY).")
  private Path tlsKey;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      scope = ScopeType.INHERIT,
      defaultValue = "table",
      converter = OutputFormat.Converter.class,
      completionCandidates = OutputFormat.Names.class,
      description = "table, json or yaml (default ${DEFAULT-VALUE}).")
  private OutputFormat output;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      scope = ScopeType.INHERIT,
      defaultValue = "10s",
      converter = OptionConverters.Timeout.class,
      description = "Deadline of each call, e.g. 500ms, 10s, 1m (default ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Show library logs and stack traces of failures.")
  private boolean verbose;

  public ServerAddress server() {
    return server;
  }

  /** The token, absent when neither {@code --token} nor a non-empty MESHD_TOKEN was given. */
  public Optional<String> token() {
    return Optional.ofNullable(token).filter(t -> !t.isEmpty());
  }

  /**
   * How to dial the agent over TLS; absent (plaintext) unless {@code --tls} or one of the
   * {@code --tls-*} files was given.
   *
   * @throws IllegalArgumentException when only one of {@code --tls-cert} and {@code --tls-key}
   *     was given
   */
  public Optional<TlsSettings> tls() {
    if (!tls && tlsCa == null && tlsCert == null && tlsKey == null) {
      return Optional.empty();
    }
    return Optional.of(new TlsSettings(Optional.ofNullable(tlsCa), Optional.ofNullable(tlsCert),
        Optional.ofNullable(tlsKey)));
  }

  public OutputFormat output() {
    return output;
  }

  public Duration timeout() {
    return timeout;
  }

  public boolean verbose() {
    return verbose;
  }
}
