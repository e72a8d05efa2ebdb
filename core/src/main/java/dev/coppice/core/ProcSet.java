// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * INTERNAL: the processes of one node, from their creation until their thread ends (or detaches).
 *
 * <p>An intrusive doubly linked list through two fields of {@link Proc}, split into stripes by
 * pid so that spawns on different threads rarely meet on a lock: a process costs the set 8 bytes
 * and no allocation, where a concurrent hash set costs a node of about 40. Adding and removing
 * take one uncontended lock; listing (close, introspection) walks every stripe under its lock.
 */
final class ProcSet {
  private static final int STRIPES = 16; // a power of two

  private static final class Stripe extends ReentrantLock {
    private static final long serialVersionUID = 1L;
    transient Proc first;
  }

  private final Stripe[] stripes = new Stripe[STRIPES];

  ProcSet() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  private Stripe stripe(Proc p) {
    return stripes[(int) p.pid.id() & (STRIPES - 1)];
  }

  void add(Proc p) {
    Stripe s = stripe(p);
    s.lock();
    try {
      Proc f = s.first;
      p.setNext = f;
      if (f != null) {
        f.setPrev = p;
      }
      s.first = p;
    } finally {
      s.unlock();
    }
  }

  /** Removes {@code p}; does nothing if it is not in the set. */
  void remove(Proc p) {
    Stripe s = stripe(p);
    s.lock();
    try {
      Proc prev = p.setPrev;
      Proc next = p.setNext;
      if (prev != null) {
        prev.setNext = next;
      } else if (s.first == p) {
        s.first = next;
      } else {
        return; // not in the set
      }
      if (next != null) {
        next.setPrev = prev;
      }
      p.setPrev = null;
      p.setNext = null;
    } finally {
      s.unlock();
    }
  }

  /** {@return the processes that match {@code filter}, in no particular order} */
  List<Proc> list(Predicate<Proc> filter) {
    List<Proc> out = new ArrayList<>();
    for (Stripe s : stripes) {
      s.lock();
      try {
        for (Proc p = s.first; p != null; p = p.setNext) {
          if (filter.test(p)) {
            out.add(p);
          }
        }
      } finally {
        s.unlock();
      }
    }
    return out;
  }
}
