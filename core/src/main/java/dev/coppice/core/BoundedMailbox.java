// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.locks.ReentrantLock;

/**
 * INTERNAL: the mailbox of a process spawned with a {@link MailboxBound}. A lock and an array
 * queue: bounded mailboxes are opt-in, and a lock makes every policy exact (dropping the oldest
 * needs a producer to take from the head, which the lock-free queue of unbounded mailboxes allows
 * only its one consumer). The lock is a {@link ReentrantLock}, which does not pin a virtual
 * thread, and it is a leaf: nothing else is locked while it is held.
 *
 * <p>System messages sit in the same queue, so their order with the sender's other messages is
 * kept, wrapped in {@link Sys} so that they are neither counted nor dropped.
 */
final class BoundedMailbox {
  /** A system message in the queue: uncounted, never dropped. */
  private record Sys(Object message) {}

  /** What {@link #offer} did, unless it dropped the oldest message: then a {@link Victim}. */
  enum Outcome {
    QUEUED,
    DROPPED,
    FULL
  }

  /** The new message was queued and {@code message}, the oldest, was dropped. */
  record Victim(Object message) {}

  final MailboxBound bound;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private int counted; // application messages in the queue; guarded by lock
  private volatile long dropped;

  BoundedMailbox(MailboxBound bound) {
    this.bound = bound;
  }

  /**
   * Producer: queues an application message if there is room. When full, by policy: DROP_NEW
   * drops it (DROPPED), DROP_OLDEST drops the oldest application message and queues this one
   * (a {@link Victim}), FAIL_SENDER and KILL_RECEIVER queue nothing (FULL: the caller
   * throws or kills, and counts a KILL_RECEIVER drop with {@link #countDrop}).
   */
  Object offer(Object m) {
    lock.lock();
    try {
      if (counted < bound.capacity()) {
        queue.addLast(m);
        counted++;
        return Outcome.QUEUED;
      }
      switch (bound.policy()) {
        case DROP_NEW -> {
          dropped++;
          return Outcome.DROPPED;
        }
        case DROP_OLDEST -> {
          Object oldest = null;
          Iterator<Object> it = queue.iterator();
          while (it.hasNext()) {
            Object o = it.next();
            if (!(o instanceof Sys)) {
              it.remove();
              oldest = o;
              break;
            }
          }
          queue.addLast(m); // counted stays: one out, one in
          dropped++;
          return new Victim(oldest);
        }
        default -> {
          return Outcome.FULL;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  void countDrop() {
    lock.lock();
    try {
      dropped++;
    } finally {
      lock.unlock();
    }
  }

  /** Any thread: queues a system message, whatever the count. */
  void offerSystem(Object m) {
    lock.lock();
    try {
      queue.addLast(new Sys(m));
    } finally {
      lock.unlock();
    }
  }

  /** Consumer: the oldest message, or null. */
  Object poll() {
    lock.lock();
    try {
      Object m = queue.pollFirst();
      if (m instanceof Sys s) {
        return s.message();
      }
      if (m != null) {
        counted--;
      }
      return m;
    } finally {
      lock.unlock();
    }
  }

  void clear() {
    lock.lock();
    try {
      queue.clear();
      counted = 0;
    } finally {
      lock.unlock();
    }
  }

  /** Any thread: messages in the queue, system ones included. */
  int size() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Any thread: application messages dropped so far (KILL_RECEIVER's included). */
  long dropped() {
    return dropped;
  }
}
