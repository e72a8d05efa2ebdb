// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running long-mailbox monitor of a node; see {@link Node#monitorLongMailboxes}. Close it to
 * stop it. May be used from any thread.
 *
 * @since 0.1
 */
public final class LongMailboxMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LongMailboxMonitor.class);

  private final Node node;
  private final int high;
  private final int low;
  private final Consumer<? super LongMailbox> listener;
  private final Set<Proc> flagged = new HashSet<>(); // the scan's thread only
  private volatile Set<Pid> longNow = Set.of();
  private volatile ScheduledFuture<?> task;

  LongMailboxMonitor(Node node, int high, int low, Consumer<? super LongMailbox> listener) {
    this.node = node;
    this.high = high;
    this.low = low;
    this.listener = listener;
  }

  void start(Duration interval) {
    long nanos = interval.toNanos();
    task = node.timers().scheduleWithFixedDelay(this::scan, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  /** One scan: every process at or above the high mark, and every flagged one, is looked at. */
  void scan() {
    List<Proc> candidates =
        node.procs.list(p -> flagged.contains(p) || p.isAlive() && p.messageQueueLength() >= high);
    for (Proc p : candidates) {
      int length = p.isAlive() ? p.messageQueueLength() : 0;
      boolean was = flagged.contains(p);
      if (!was && length >= high) {
        flagged.add(p);
        emit(new LongMailbox(p.pid, true, length));
      } else if (was && (length <= low || !p.isAlive())) {
        flagged.remove(p);
        emit(new LongMailbox(p.pid, false, length));
      }
    }
    // flagged processes that ended and left the node's set are no candidates any more
    flagged.removeIf(
        p -> {
          if (p.isAlive() || candidates.contains(p)) {
            return false;
          }
          emit(new LongMailbox(p.pid, false, 0));
          return true;
        });
    Set<Pid> now = new HashSet<>();
    flagged.forEach(p -> now.add(p.pid));
    longNow = Set.copyOf(now);
  }

  private void emit(LongMailbox event) {
    try {
      listener.accept(event);
    } catch (RuntimeException e) {
      log.atError()
          .setCause(e)
          .addKeyValue("event", event)
          .log("the long-mailbox listener failed on {}; the monitor goes on", event);
    }
  }

  /** {@return the processes whose mailbox the last scan found long} */
  public Set<Pid> longNow() {
    return longNow;
  }

  /** {@return the high mark} */
  public int high() {
    return high;
  }

  /** {@return the low mark} */
  public int low() {
    return low;
  }

  /** Stops the monitor; no event is raised after this returns, but one may be in progress. */
  @Override
  public void close() {
    ScheduledFuture<?> t = task;
    if (t != null) {
      t.cancel(false);
    }
  }
}
