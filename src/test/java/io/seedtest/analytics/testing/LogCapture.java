package io.seedtest.analytics.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures the log4j2 events of one logger (and its children) while open: an appender attached
 * programmatically to a logger configuration of that name, so a test can assert on what a
 * library logged (e.g. Delta's warning about a MERGE source that changed between its scans).
 * The logger's level is left as configured; events below it are not seen.
 */
public final class LogCapture implements AutoCloseable {
  private final String loggerName;
  private final List<String> messages = new ArrayList<>();
  private final AbstractAppender appender;
  private final boolean addedConfig;

  private LogCapture(String loggerName, Level atLeast) {
    this.loggerName = loggerName;
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    appender = new AbstractAppender("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        synchronized (messages) {
          messages.add(event.getLoggerName() + ": " + event.getMessage().getFormattedMessage());
        }
      }
    };
    appender.start();
    LoggerConfig existing = config.getLoggerConfig(loggerName);
    LoggerConfig target = existing;
    boolean added = false;
    if (!existing.getName().equals(loggerName)) {
      // a configuration of its own, additive, at the level the logger has now: the console still
      // prints what it printed, and nothing below the configured level is turned on
      target = new LoggerConfig(loggerName, existing.getLevel(), true);
      config.addLogger(loggerName, target);
      added = true;
    }
    target.addAppender(appender, atLeast, null);
    addedConfig = added;
    context.updateLoggers();
  }

  /** Starts capturing events of {@code loggerName} and its children at {@code atLeast} or above. */
  public static LogCapture of(String loggerName, Level atLeast) {
    return new LogCapture(loggerName, atLeast);
  }

  /** The captured messages so far, each as "logger: message". */
  public List<String> messages() {
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    if (addedConfig) {
      config.removeLogger(loggerName);
    } else {
      config.getLoggerConfig(loggerName).removeAppender(appender.getName());
    }
    context.updateLoggers();
    appender.stop();
  }
}
