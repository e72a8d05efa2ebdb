// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running timer, as returned by {@link Processes#sendAfter} and {@link Processes#startTimer}.
 *
 * @since 0.1
 */
public final class TimerRef {
  private final long id;
  final AtomicBoolean done = new AtomicBoolean();
  volatile ScheduledFuture<?> future;
  final long deadline;
  final Proc target; // null when the destination is a name

  TimerRef(long id, long deadline, Proc target) {
    this.id = id;
    this.deadline = deadline;
    this.target = target;
  }

  long remainingMillis() {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }

  @Override
  public String toString() {
    return "#Timer<" + id + ">";
  }
}
