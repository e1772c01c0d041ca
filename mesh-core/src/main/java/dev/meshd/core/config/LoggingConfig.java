package dev.meshd.core.config;

import java.util.Objects;

/**
 * {@code logging:}.
 *
 * @param level {@code error}, {@code warn}, {@code info} (default), {@code debug}, {@code trace}
 * @param format {@code text} (default) or {@code json}
 */
public record LoggingConfig(String level, String format) {
  public LoggingConfig {
    level = Objects.requireNonNullElse(level, "info");
    format = Objects.requireNonNullElse(format, "text");
  }
}
