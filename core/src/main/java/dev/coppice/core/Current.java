// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * INTERNAL: which process the current thread is. A map from thread to process rather than a
 * ThreadLocal: a ThreadLocal costs every process thread a ThreadLocalMap of its own (about 140
 * bytes with its 16-slot table), which is too much for a million idle processes; one map entry
 * (about 40 bytes) replaces it. Hot loops (a GenServer's) hold their process and skip the lookup.
 */
final class Current {
  private static final ConcurrentHashMap<Thread, Proc> BY_THREAD = new ConcurrentHashMap<>();

  private Current() {}

  static Proc get() {
    return BY_THREAD.get(Thread.currentThread());
  }

  static void set(Thread t, Proc p) {
    BY_THREAD.put(t, p);
  }

  static void set(Proc p) {
    if (p == null) {
      BY_THREAD.remove(Thread.currentThread());
    } else {
      BY_THREAD.put(Thread.currentThread(), p);
    }
  }

  static void remove() {
    BY_THREAD.remove(Thread.currentThread());
  }

  /**
   * The threads of {@code node}'s spawned processes that have not ended (attached threads are not
   * its own). A thread that is registered but not started yet counts: a spawn racing with close
   * starts it a moment later, and close must wait for it.
   */
  static java.util.List<Thread> threadsOf(Node node) {
    java.util.List<Thread> out = new java.util.ArrayList<>();
    BY_THREAD.forEach(
        (t, p) -> {
          if (p.node == node && !p.isAttached() && t.getState() != Thread.State.TERMINATED) {
            out.add(t);
          }
        });
    return out;
  }

  /**
   * The live processes of {@code node}, attached ones included. A process is registered here
   * from its creation (before its thread starts) until its thread ends or detaches, so this is
   * the node's set of processes.
   */
  static java.util.List<Proc> aliveOf(Node node) {
    java.util.List<Proc> out = new java.util.ArrayList<>();
    BY_THREAD.forEach(
        (t, p) -> {
          if (p.node == node && p.isAlive()) {
            out.add(p);
          }
        });
    return out;
  }

  /** Removes {@code t}'s entry only if it still maps to {@code p}. */
  static void remove(Thread t, Proc p) {
    BY_THREAD.remove(t, p);
  }
}
