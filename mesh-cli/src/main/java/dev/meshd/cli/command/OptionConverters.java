package dev.meshd.cli.command;

import dev.meshd.cli.connect.ServerAddress;
import dev.meshd.cli.output.DurationText;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli converters of the global options. Each turns a parsing failure into a
 * {@link TypeConversionException} whose message says what was expected, which picocli reports
 * as a usage error (exit 2) instead of an unexpected exception.
 */
final class OptionConverters {

  private OptionConverters() {}

  /** {@code --server HOST:PORT}. */
  static final class Server implements ITypeConverter<ServerAddress> {
    @Override
    public ServerAddress convert(String value) {
      try {
        return ServerAddress.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code --timeout}: a positive duration. */
  static final class Timeout implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration timeout;
      try {
        timeout = DurationText.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      if (timeout.isZero() || timeout.isNegative()) {
        throw new TypeConversionException(
            "\"" + value + "\" (expected: a positive duration such as 10s)");
      }
      return timeout;
    }
  }

  /**
   * {@code --token}: must fit in an HTTP/2 header value, otherwise gRPC would fail every call
   * with an error that does not mention the token.
   */
  static final class Token implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x21 || c > 0x7e) {
          // The token is a secret: name the position, never echo the value.
          throw new TypeConversionException(
              "character " + (i + 1) + " cannot be sent in a header (expected: printable ASCII)");
        }
      }
      return value;
    }
  }
}
