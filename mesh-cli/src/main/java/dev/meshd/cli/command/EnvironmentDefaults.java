package dev.meshd.cli.command;

import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults taken from the environment: {@code MESHD_SERVER} for {@code --server},
 * {@code MESHD_TOKEN} for {@code --token}, and {@code MESHD_TLS_CA}, {@code MESHD_TLS_CERT},
 * {@code MESHD_TLS_KEY} for {@code --tls-ca}, {@code --tls-cert}, {@code --tls-key}. It reads
 * the map it is given rather than
 * {@link System#getenv()} (which picocli's {@code ${env:...}} would use), so tests can set it.
 * Immutable.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {

  static final String SERVER_VARIABLE = "MESHD_SERVER";
  static final String TOKEN_VARIABLE = "MESHD_TOKEN";
  static final String TLS_CA_VARIABLE = "MESHD_TLS_CA";
  static final String TLS_CERT_VARIABLE = "MESHD_TLS_CERT";
  static final String TLS_KEY_VARIABLE = "MESHD_TLS_KEY";

  private final Map<String, String> env;

  public EnvironmentDefaults(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)) {
      return null;
    }
    return switch (option.longestName()) {
      case "--server" -> nonEmpty(env.get(SERVER_VARIABLE), GlobalOptions.DEFAULT_SERVER);
      case "--token" -> nonEmpty(env.get(TOKEN_VARIABLE), null);
      case "--tls-ca" -> nonEmpty(env.get(TLS_CA_VARIABLE), null);
      case "--tls-cert" -> nonEmpty(env.get(TLS_CERT_VARIABLE), null);
      case "--tls-key" -> nonEmpty(env.get(TLS_KEY_VARIABLE), null);
      // null: picocli falls back to the option's own defaultValue.
      default -> null;
    };
  }

  private static String nonEmpty(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
