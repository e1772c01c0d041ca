package dev.meshd.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.meshd.core.config.LoggingConfig;
import org.slf4j.LoggerFactory;

/** Applies {@code logging.level} and {@code logging.format} to logback at start. */
public final class LoggingSetup {

  private LoggingSetup() {}

  public static void apply(LoggingConfig config) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger meshd = context.getLogger("dev.meshd");
    meshd.setLevel(Level.toLevel(config.level(), Level.INFO));
    if ("json".equals(config.format())) {
      Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      root.detachAndStopAllAppenders();
      JsonEncoder encoder = new JsonEncoder();
      encoder.setContext(context);
      encoder.start();
      ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
      appender.setContext(context);
      appender.setName("json");
      appender.setEncoder(encoder);
      appender.start();
      root.addAppender(appender);
    }
  }
}
