// SPDX-License-Identifier: Apache-2.0
package dev.coppice.testkit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J 2 service provider behind {@link LogCapture}: every logger records into it. Level
 * DEBUG and above are recorded; TRACE is dropped.
 */
public final class CapturingProvider implements SLF4JServiceProvider {
  private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
  private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, CapturingLogger::new);
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();

  /** Creates the provider; SLF4J does this through the service loader. */
  public CapturingProvider() {}

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class CapturingLogger extends AbstractLogger implements LoggingEventAware {
    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
      this.name = name;
    }

    @Override
    public void log(LoggingEvent event) {
      if (event.getLevel().toInt() < Level.DEBUG.toInt()) {
        return;
      }
      Object[] args = event.getArgumentArray();
      String msg = MessageFormatter.basicArrayFormat(event.getMessage(), args);
      LogCapture.add(
          new LogCapture.Event(
              event.getLevel(),
              name,
              msg,
              LogCapture.keyValues(event.getKeyValuePairs()),
              event.getThrowable(),
              Thread.currentThread().getName(),
              copyMdc()));
    }

    private static Map<String, String> copyMdc() {
      Map<String, String> m = org.slf4j.MDC.getCopyOfContextMap();
      return m == null ? Map.of() : Map.copyOf(m);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String messagePattern, Object[] arguments, Throwable throwable) {
      if (level.toInt() < Level.DEBUG.toInt()) {
        return;
      }
      LogCapture.add(
          new LogCapture.Event(
              level,
              name,
              MessageFormatter.basicArrayFormat(messagePattern, arguments),
              Map.of(),
              throwable,
              Thread.currentThread().getName(),
              copyMdc()));
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return true;
    }
  }
}
