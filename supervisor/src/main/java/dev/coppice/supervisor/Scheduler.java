// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import java.time.Duration;

/**
 * Delivers a message to a supervisor after a delay; the supervisor uses it for {@link Backoff
 * restart backoff}. The default, {@link #timers()}, uses core's timers ({@link
 * Processes#sendAfter(Duration, Pid, Object)}). Tests inject one that holds the messages until the
 * test releases them, so that backoff needs no real waiting.
 *
 * <p>A message delivered late, or one the supervisor no longer expects (the child was terminated
 * meanwhile), is ignored, so a scheduler needs no cancel.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Scheduler {

  /**
   * Arranges for {@code message} to be sent to {@code target} after {@code delay}. Called on the
   * supervisor's process; must not block.
   *
   * @param delay the delay
   * @param target the supervisor
   * @param message the message
   */
  void schedule(Duration delay, Pid target, Object message);

  /** {@return the scheduler that uses core's timers} */
  static Scheduler timers() {
    return TimerScheduler.INSTANCE;
  }
}
