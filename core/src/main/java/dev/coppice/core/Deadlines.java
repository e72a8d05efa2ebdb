// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jctools.queues.atomic.MpscLinkedAtomicQueue;

/**
 * INTERNAL: cheap timed waits for processes on virtual threads.
 *
 * <p>{@code LockSupport.parkNanos} on a virtual thread schedules and then cancels a task on the
 * JDK's unparker executor: tens of microseconds on a loaded 2-core machine, paid by every call
 * that parks, although almost every reply comes long before the default 5 s timeout. Here a
 * process's timed wait parks without a timeout and leaves its deadline in the process's {@link
 * Slot}, which one daemon thread (the timer) watches.
 *
 * <p>A process waits for one thing at a time, so one slot per process serves all its timed
 * waits, and the timer files each slot once, not each wait: a wait writes its deadline into the
 * slot and files the slot only when it is not filed yet or filed for a later time. When a filing
 * comes due, the timer looks at the slot: a wait whose deadline has passed is unparked; a wait
 * that began since, with a later deadline, is filed again for that deadline; a slot with no wait
 * in progress is dropped. A process that makes a million calls a second with the default
 * timeout thus costs the timer one filing every 5 s, and a wait that ends early costs one
 * volatile write ({@link #waitEnded}); nothing is cancelled, and no stale filing can unpark a
 * thread that waits for something else.
 *
 * <p>Memory: one slot (~32 bytes) per process that has made a timed wait, and one filing (~24
 * bytes) per filed slot. Threads that are not process threads on virtual threads use {@code
 * LockSupport.parkNanos} (cheap on platform threads).
 */
final class Deadlines {
  private Deadlines() {}

  /** One process's timed-wait state, reused by all its waits. */
  static final class Slot {
    final Thread thread;
    /** The deadline of the wait in progress; 0 when none. Written by the owner thread. */
    volatile long deadline;
    /** The deadline this slot is filed under at the timer; 0 when not filed. CAS only. */
    volatile long filed;
    /** How often the owner handed this slot to the timer (for tests). Owner thread only. */
    int filings;
    /** How often the timer woke a wait of this slot that timed out (for tests). Timer only. */
    volatile int timeouts;

    Slot(Thread thread) {
      this.thread = thread;
    }
  }

  /** One filing of a slot in the timer's heap. */
  private record Filing(long deadline, Slot slot) implements Comparable<Filing> {
    @Override
    public int compareTo(Filing o) {
      return Long.compare(deadline - o.deadline, 0);
    }
  }

  private static final VarHandle FILED;

  static {
    try {
      FILED = MethodHandles.lookup().findVarHandle(Slot.class, "filed", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final MpscLinkedAtomicQueue<Filing> INBOX = new MpscLinkedAtomicQueue<>();
  private static final ReentrantLock START = new ReentrantLock();
  private static volatile Thread timer;
  /** The earliest deadline the timer thread sleeps towards; Long.MAX_VALUE when it has none. */
  private static volatile long earliest = Long.MAX_VALUE;

  /**
   * Parks the calling thread, the thread of process {@code self}, until unparked or until {@code
   * deadline} (a {@link System#nanoTime()} value) has passed. May return spuriously, like {@link
   * LockSupport#park}. The caller calls {@link #waitEnded} when its wait is over, however it
   * ended; a wait may park here any number of times with the same deadline in between.
   */
  static void parkUntil(Proc self, Object blocker, long deadline) {
    Thread me = Thread.currentThread();
    if (self == null || self.thread != me || !me.isVirtual()) {
      LockSupport.parkNanos(blocker, deadline - System.nanoTime()); // cheap on platform threads
      return;
    }
    Slot s = self.deadlineSlot;
    if (s == null) {
      s = self.deadlineSlot = new Slot(me);
    }
    long d = deadline == 0 ? 1 : deadline; // 0 means no wait
    s.deadline = d;
    file(s, d);
    LockSupport.park(blocker);
  }

  /** The wait of process {@code self} that parked in {@link #parkUntil} is over. */
  static void waitEnded(Proc self) {
    Slot s = self.deadlineSlot;
    if (s != null && s.deadline != 0) {
      s.deadline = 0;
    }
  }

  /**
   * Makes sure the timer looks at {@code s} by {@code d}. The owner wrote {@code d} to {@code
   * s.deadline} first; the timer, before it drops a slot, clears {@code filed} and then reads
   * {@code deadline}: one of the two sees the other's write.
   */
  private static void file(Slot s, long d) {
    for (; ; ) {
      long f = s.filed;
      if (f != 0 && f - d <= 0) {
        return; // filed for this time or sooner: the timer will find the wait then
      }
      if (FILED.compareAndSet(s, f, d)) {
        s.filings++;
        INBOX.offer(new Filing(d, s));
        Thread t = timer;
        if (t == null) {
          t = startTimer();
        }
        if (d - earliest < 0) {
          LockSupport.unpark(t); // sooner than anything it sleeps towards
        }
        return;
      }
    }
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
    PriorityQueue<Filing> heap = new PriorityQueue<>();
    for (; ; ) {
      Filing f;
      while ((f = INBOX.poll()) != null) {
        heap.add(f);
      }
      long now = System.nanoTime();
      while ((f = heap.peek()) != null && f.deadline - now <= 0) {
        heap.poll();
        settle(f, heap, now);
      }
      long next = f == null ? Long.MAX_VALUE : f.deadline;
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

  /** A filing came due: wake a wait that timed out, then refile or drop the slot. */
  private static void settle(Filing f, PriorityQueue<Filing> heap, long now) {
    Slot s = f.slot();
    long d = s.deadline;
    if (d != 0 && d - now <= 0) {
      s.timeouts++; // only this thread writes it
      LockSupport.unpark(s.thread); // timed out; the waiter sees it and ends its wait
    }
    for (; ; ) {
      if (s.filed != f.deadline()) {
        return; // the owner filed a sooner deadline since: that filing looks after the slot
      }
      long cur = s.deadline;
      if (cur != 0 && cur - now > 0) { // a later wait is in progress: file it for its deadline
        if (FILED.compareAndSet(s, f.deadline(), cur)) {
          heap.add(new Filing(cur, s));
          return;
        }
        continue;
      }
      if (!FILED.compareAndSet(s, f.deadline(), 0L)) {
        continue;
      }
      // Dropped. A wait that began meanwhile saw filed != 0 and did not file itself: file it.
      long again = s.deadline;
      if (again != 0 && again != d && FILED.compareAndSet(s, 0L, again)) {
        heap.add(new Filing(again, s));
      }
      return;
    }
  }
}
