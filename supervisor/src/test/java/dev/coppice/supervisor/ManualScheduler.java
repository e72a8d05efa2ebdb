// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A {@link Scheduler} that holds backoff timers until the test fires them. */
final class ManualScheduler implements Scheduler {
  record Pending(Duration delay, Pid target, Object message) {}

  private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();

  @Override
  public void schedule(Duration delay, Pid target, Object message) {
    pending.add(new Pending(delay, target, message));
  }

  /**
   * {@return the delay of the oldest pending timer, without firing it} Supervisors schedule
   * timers while handling a message, so call this after a synchronous call to the supervisor.
   */
  Duration peekDelay() {
    Pending p = pending.peek();
    assertNotNull(p, "no backoff timer is pending");
    return p.delay();
  }

  /** Fires the oldest pending timer and returns its delay. */
  Duration fire() {
    Pending p = pending.poll();
    assertNotNull(p, "no backoff timer is pending");
    Processes.send(p.target(), p.message());
    return p.delay();
  }

  int size() {
    return pending.size();
  }
}
