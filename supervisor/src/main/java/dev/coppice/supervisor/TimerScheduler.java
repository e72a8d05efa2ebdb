// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import java.time.Duration;

/** INTERNAL: the default scheduler. */
enum TimerScheduler implements Scheduler {
  INSTANCE;

  @Override
  public void schedule(Duration delay, Pid target, Object message) {
    Processes.sendAfter(delay, target, message);
  }

  @Override
  public String toString() {
    return "timers";
  }
}
