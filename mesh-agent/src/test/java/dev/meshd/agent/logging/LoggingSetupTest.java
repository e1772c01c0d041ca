package dev.meshd.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.meshd.core.config.LoggingConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

class LoggingSetupTest {

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger grpc = context.getLogger("io.grpc.internal.ManagedChannelImpl");

  @BeforeEach
  void listen() {
    logged.start();
    grpc.addAppender(logged);
    // As the agent's logback.xml has it (the tests' logback-test.xml does not).
    grpc.setLevel(Level.WARN);
  }

  @AfterEach
  void detach() {
    grpc.detachAppender(logged);
    grpc.setLevel(null);
    SLF4JBridgeHandler.uninstall();
  }

  @Test
  void javaUtilLoggingRecordsBecomeEventsOfTheAgentsLogAtItsLevels() {
    LoggingSetup.apply(new LoggingConfig("info", "text"));

    java.util.logging.Logger jul =
        java.util.logging.Logger.getLogger("io.grpc.internal.ManagedChannelImpl");
    jul.warning("channel for 10.0.0.12:7070 was not shut down");
    // Below the logback level of its logger: not logged.
    jul.info("noise");

    assertThat(logged.list).singleElement().satisfies(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.WARN);
      assertThat(event.getFormattedMessage())
          .isEqualTo("channel for 10.0.0.12:7070 was not shut down");
    });
  }
}
