// SPDX-License-Identifier: Apache-2.0
package dev.coppice.testkit;

import dev.coppice.core.Down;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assertions;

/**
 * ExUnit's {@code assert_receive} for the calling process (under {@link NodeExtension} the test
 * thread is a process): wait for a message with a bound, and fail with the mailbox's contents if
 * it does not come.
 */
public final class Expect {
  private Expect() {}

  /** The default bound for a message that must come. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  /**
   * Waits for the first message of {@code type}, leaving others queued.
   *
   * @param type the message type
   * @param <T> the type
   * @return the message
   */
  public static <T> T receive(Class<T> type) {
    return receive(type, m -> true);
  }

  /**
   * Waits for the first message of {@code type} that matches {@code filter}, leaving others
   * queued; fails after {@link #TIMEOUT}.
   *
   * @param type the message type
   * @param filter the condition
   * @param <T> the type
   * @return the message
   */
  public static <T> T receive(Class<T> type, Predicate<? super T> filter) {
    T m = Processes.receive(type, filter, TIMEOUT);
    if (m == null) {
      Assertions.fail(
          "no matching " + type.getSimpleName() + " within " + TIMEOUT + "; mailbox: "
              + Processes.mailbox());
    }
    return m;
  }

  /**
   * Waits for the next message, whatever it is.
   *
   * @return the message
   */
  public static Object next() {
    Object m = Processes.receive(TIMEOUT);
    if (m == null) {
      Assertions.fail("no message within " + TIMEOUT);
    }
    return m;
  }

  /**
   * Asserts that no message arrives within {@code within} (ExUnit's {@code refute_receive}).
   *
   * @param within how long to watch
   */
  public static void noMessage(Duration within) {
    Object m = Processes.receive(within);
    if (m != null) {
      Assertions.fail("expected no message, got " + m);
    }
  }

  /**
   * Monitors {@code pid} and waits for it to end.
   *
   * @param pid the process
   * @return its Down message
   */
  public static Down down(Pid pid) {
    MonitorRef ref = Processes.monitor(pid);
    return receive(Down.class, d -> d.ref() == ref);
  }

  /**
   * Waits for the Down of a monitor set earlier.
   *
   * @param ref the monitor
   * @return the Down message
   */
  public static Down down(MonitorRef ref) {
    return receive(Down.class, d -> d.ref() == ref);
  }
}
