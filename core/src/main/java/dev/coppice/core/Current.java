// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * INTERNAL: which process the current thread is.
 *
 * <p>A spawned process's thread carries its process as its {@linkplain
 * Thread#setUncaughtExceptionHandler uncaught-exception handler}: the field is there on every
 * thread anyway, so finding the current process is one field read and costs no memory. (A
 * ThreadLocal would cost every process thread a ThreadLocalMap of its own, about 140 bytes; a
 * map from thread to process, about 40 bytes and a hash lookup per call.) The handler is a real
 * one: should anything escape the process boundary in {@link Proc#run}, it logs it. User code
 * that replaces the handler of a process thread detaches the thread from its process, which is
 * why {@link Proc} is never handed out.
 *
 * <p>An attached thread ({@link Node#attach()}) is the caller's own, whose handler we leave alone:
 * those few live in a map.
 */
final class Current {
  private static final ConcurrentHashMap<Thread, Proc> ATTACHED = new ConcurrentHashMap<>();

  private Current() {}

  static Proc get() {
    Thread t = Thread.currentThread();
    if (t.getUncaughtExceptionHandler() instanceof Proc p) {
      return p;
    }
    return ATTACHED.isEmpty() ? null : ATTACHED.get(t);
  }

  /** Makes the unstarted thread {@code t} the thread of the spawned process {@code p}. */
  static void bind(Thread t, Proc p) {
    t.setUncaughtExceptionHandler(p);
  }

  /** Makes the calling thread the attached process {@code p}. */
  static void attach(Proc p) {
    ATTACHED.put(Thread.currentThread(), p);
  }

  /** Detaches the calling thread if it is the attached process {@code p}. */
  static void detach(Proc p) {
    ATTACHED.remove(Thread.currentThread(), p);
  }

  /**
   * Makes the calling thread no process for a while (exit hooks run outside any process); returns
   * what {@link #resume} needs to undo it, null if the thread was no process.
   */
  static Proc suspend() {
    Thread t = Thread.currentThread();
    if (t.getUncaughtExceptionHandler() instanceof Proc p) {
      t.setUncaughtExceptionHandler(null);
      return p;
    }
    return ATTACHED.isEmpty() ? null : ATTACHED.remove(t);
  }

  /** Undoes {@link #suspend}. */
  static void resume(Proc p) {
    if (p == null) {
      return;
    }
    if (p.isAttached()) {
      ATTACHED.put(Thread.currentThread(), p);
    } else {
      Thread.currentThread().setUncaughtExceptionHandler(p);
    }
  }
}
