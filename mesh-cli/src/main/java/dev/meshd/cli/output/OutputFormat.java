package dev.meshd.cli.output;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The {@code -o} formats; written in lower case on the command line. */
public enum OutputFormat {
  /** Human-readable, aligned; not a stable interface for scripts. */
  TABLE,
  /** The protobuf JSON mapping with every field present; the stable interface. */
  JSON,
  /** The JSON document, written as YAML. */
  YAML;

  /** The name used on the command line. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code table}, {@code json} or {@code yaml}, for picocli. */
  public static final class Converter implements ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(String value) {
      for (OutputFormat format : values()) {
        if (format.cliName().equals(value)) {
          return format;
        }
      }
      throw new TypeConversionException("\"" + value + "\" (expected: table, json or yaml)");
    }
  }

  /** The accepted names, for picocli's help and shell completion. */
  public static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(values()).map(OutputFormat::cliName).iterator();
    }
  }
}
