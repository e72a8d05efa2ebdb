// SPDX-License-Identifier: Apache-2.0
package dev.coppice.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.event.Level;

/**
 * Captures everything logged through slf4j in a test JVM: the testkit is an SLF4J 2 provider (see
 * {@link CapturingProvider}), so tests need no logging backend and can assert on what the runtime
 * reported. {@link NodeExtension} clears the capture before each test and fails a test that
 * leaves an ERROR event it did not look at, unless the test is annotated {@link AllowErrorLogs}.
 *
 * <p>Events at WARN and ERROR are also printed to standard error, so surefire's report files show
 * them next to the test, unless {@link #echo(boolean)} turned that off.
 */
public final class LogCapture {
  private static final List<Event> EVENTS = new CopyOnWriteArrayList<>();

  private LogCapture() {}

  /**
   * One captured event.
   *
   * @param level the level
   * @param logger the logger name
   * @param message the formatted message
   * @param keyValues the structured key-values, in the order they were added
   * @param cause the throwable, or null
   * @param thread the name of the logging thread
   * @param mdc the MDC of the logging thread at the time
   */
  public record Event(
      Level level,
      String logger,
      String message,
      Map<String, Object> keyValues,
      Throwable cause,
      String thread,
      Map<String, String> mdc) {

    /** {@return the key-value for {@code key}, or null} */
    public Object get(String key) {
      return keyValues.get(key);
    }
  }

  private static volatile boolean echo = true;

  /**
   * Turns the echo of WARN and ERROR events to standard error on or off; events are captured
   * either way. Property tests that crash thousands of processes on purpose turn it off while they
   * run, so the report files stay readable. May be called from any thread.
   *
   * @param on whether to echo
   * @return the previous setting
   */
  public static boolean echo(boolean on) {
    boolean was = echo;
    echo = on;
    return was;
  }

  static void add(Event e) {
    EVENTS.add(e);
    if (echo && e.level().toInt() >= Level.WARN.toInt()) {
      System.err.println(
          "[" + e.level() + "] " + e.logger() + " " + e.message() + " " + e.keyValues()
              + (e.cause() != null ? " cause=" + e.cause() : ""));
    }
  }

  private static final List<Event> SEEN = new CopyOnWriteArrayList<>();

  /** Removes every captured event. */
  public static void clear() {
    EVENTS.clear();
    SEEN.clear();
  }

  /** {@return every event captured since the last clear, oldest first} */
  public static List<Event> events() {
    List<Event> all = List.copyOf(EVENTS);
    SEEN.addAll(all);
    return all;
  }

  /**
   * {@return the events at {@code level} or above, marking them as looked at}
   *
   * @param level the lowest level
   */
  public static List<Event> atLeast(Level level) {
    List<Event> out = new ArrayList<>();
    for (Event e : EVENTS) {
      if (e.level().toInt() >= level.toInt()) {
        out.add(e);
      }
    }
    SEEN.addAll(out);
    return Collections.unmodifiableList(out);
  }

  /** {@return the ERROR events, marking them as looked at} */
  public static List<Event> errors() {
    return atLeast(Level.ERROR);
  }

  /**
   * {@return the events that match {@code filter}, marking them as looked at}
   *
   * @param filter the condition
   */
  public static List<Event> matching(Predicate<Event> filter) {
    List<Event> out = new ArrayList<>();
    for (Event e : EVENTS) {
      if (filter.test(e)) {
        out.add(e);
      }
    }
    SEEN.addAll(out);
    return out;
  }

  /** {@return the ERROR events no test code has looked at} */
  static List<Event> unseenErrors() {
    List<Event> out = new ArrayList<>();
    for (Event e : EVENTS) {
      if (e.level() == Level.ERROR && !SEEN.contains(e)) {
        out.add(e);
      }
    }
    return out;
  }

  static Map<String, Object> keyValues(List<org.slf4j.event.KeyValuePair> kvs) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (kvs != null) {
      for (var kv : kvs) {
        m.put(kv.key, kv.value);
      }
    }
    return m;
  }
}
