package dev.meshd.core.config;

import java.util.List;

/** Reads {@code logging:} into a {@link LoggingConfig}. Stateless. */
final class LoggingSection {

  static final List<String> KEYS = List.of("level", "format");

  static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");

  static final List<String> FORMATS = List.of("text", "json");

  private LoggingSection() {}

  static LoggingConfig read(MappingReader logging) {
    // info: one line per event an operator acts on; debug is for chasing a problem.
    String level = logging.get("level").oneOf(LEVELS).orElse("info");
    // text: read by people at a terminal; json is for log shippers.
    String format = logging.get("format").oneOf(FORMATS).orElse("text");
    return new LoggingConfig(level, format);
  }
}
