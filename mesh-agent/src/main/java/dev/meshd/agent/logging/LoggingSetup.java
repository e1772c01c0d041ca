package dev.meshd.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.meshd.core.config.LoggingConfig;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Applies {@code logging.level} and {@code logging.format} to logback at start, and routes
 * java.util.logging into it: gRPC (and Ratis's shaded copy of it) log through JUL, whose console
 * handler would otherwise print two-line records in its own format, outside {@code
 * logging.format: json}.
 */
public final class LoggingSetup {

  private LoggingSetup() {}

  public static void apply(LoggingConfig config) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
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
