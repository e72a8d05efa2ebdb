// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The reference of one monitor, as returned by {@link Processes#monitor(Pid)}; it identifies the
 * {@link Down} message the monitor delivers. Every monitor gets a fresh reference.
 *
 * @since 0.1
 */
public final class MonitorRef {
  static final int ACTIVE = 0;
  static final int FIRING = 1;
  static final int DONE = 2;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(MonitorRef.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long id;
  final Proc watcher;
  final Proc target; // null for a name monitor that did not resolve
  private final String name;
  private volatile int state;

  MonitorRef(long id, Proc watcher, Proc target, String name) {
    this.id = id;
    this.watcher = watcher;
    this.target = target;
    this.name = name;
  }

  /** {@return the monitored process, or null when a monitored name had no process} */
  public Pid pid() {
    return target == null ? null : target.pid;
  }

  /** {@return the registered name this monitor was set on, if it was set on a name} */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** Claims the right to fire; true for the single caller that may deliver the Down. */
  boolean beginFire() {
    return STATE.compareAndSet(this, ACTIVE, FIRING);
  }

  void endFire() {
    state = DONE;
  }

  /** Cancels the monitor; true if it had not fired. Waits for a firing in progress to finish. */
  boolean cancel() {
    if (STATE.compareAndSet(this, ACTIVE, DONE)) {
      return true;
    }
    int spins = 0;
    while (state == FIRING) { // the firer is delivering the Down: a few instructions
      if (++spins < 128) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "#Ref<" + id + ">";
  }
}
