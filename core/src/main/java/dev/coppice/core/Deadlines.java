// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jctools.queues.atomic.MpscLinkedAtomicQueue;

/**
 * INTERNAL: cheap timed parking for virtual threads.
 *
 * <p>{@code LockSupport.parkNanos} on a virtual thread schedules and then cancels a task on the
 * JDK's unparker executor: tens of microseconds on a loaded 2-core machine, paid by every call
 * whose reply takes longer than the caller's spin, although almost every reply comes long before
 * the default 5 s timeout. Here a timed wait parks without a timeout and leaves its deadline with
 * one daemon thread, which unparks the waiter when the deadline passes. Nothing is cancelled when
 * the wait ends early: the entry stays until its deadline and then unparks a thread that is no
 * longer waiting for it, which is harmless because every wait in coppice re-checks its condition
 * in a loop (a park may always return spuriously). Registering costs an allocation and a
 * lock-free enqueue; the timer thread is woken only when a deadline is earlier than every one it
 * holds, which with equal timeouts is almost never.
 *
 * <p>Entries live until their deadline, so memory is bounded by (timed waits that park per
 * second) × (their timeout): 32 bytes each.
 */
final class Deadlines {
  private Deadlines() {}

  private record Entry(long deadline, Thread waiter) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      return Long.compare(deadline, o.deadline);
    }
  }

  private static final MpscLinkedAtomicQueue<Entry> INBOX = new MpscLinkedAtomicQueue<>();
  private static final ReentrantLock START = new ReentrantLock();
  private static volatile Thread timer;
  /** The earliest deadline the timer thread sleeps towards; Long.MAX_VALUE when it has none. */
  private static volatile long earliest = Long.MAX_VALUE;

  /**
   * Parks the calling thread until unparked or until {@code deadline} (a {@link
   * System#nanoTime()} value) has passed. May return spuriously, like {@link LockSupport#park}.
   */
  static void parkUntil(Object blocker, long deadline) {
    if (!Thread.currentThread().isVirtual()) {
      LockSupport.parkNanos(blocker, deadline - System.nanoTime()); // cheap on platform threads
      return;
    }
    INBOX.offer(new Entry(deadline, Thread.currentThread()));
    Thread t = timer;
    if (t == null) {
      t = startTimer();
    }
    if (deadline - earliest < 0) {
      LockSupport.unpark(t); // sooner than anything it sleeps towards
    }
    LockSupport.park(blocker);
  }

  private static Thread startTimer() {
    START.lock();
    try {
      if (timer == null) {
        Thread t = new Thread(Deadlines::run, "coppice-deadlines");
        t.setDaemon(true);
        timer = t;
        t.start();
      }
      return timer;
    } finally {
      START.unlock();
    }
  }

  private static void run() {
    PriorityQueue<Entry> heap = new PriorityQueue<>();
    for (; ; ) {
      Entry e;
      while ((e = INBOX.poll()) != null) {
        heap.add(e);
      }
      long now = System.nanoTime();
      while ((e = heap.peek()) != null && e.deadline - now <= 0) {
        heap.poll();
        LockSupport.unpark(e.waiter);
      }
      long next = e == null ? Long.MAX_VALUE : e.deadline;
      earliest = next;
      if (!INBOX.isEmpty()) {
        continue; // arrived while we were busy: look before sleeping
      }
      if (next == Long.MAX_VALUE) {
        LockSupport.park(Deadlines.class);
      } else {
        LockSupport.parkNanos(Deadlines.class, next - System.nanoTime());
      }
      Thread.interrupted(); // nothing may stop this thread; clear a stray interrupt
    }
  }
}
