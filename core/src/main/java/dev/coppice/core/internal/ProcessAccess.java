// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.internal;

import dev.coppice.core.Pid;

/**
 * INTERNAL API, not exported: lets the genserver package drive its own process without looking
 * the calling thread up on every message (the JDK's SharedSecrets pattern). Not for users.
 */
public interface ProcessAccess {

  /**
   * Receives as {@code self}, which must be the calling thread's process.
   *
   * @param self the calling process
   * @param nanos how long to wait; negative waits forever
   * @return the message, or null on timeout
   */
  Object receive(Pid self, long nanos);

  /**
   * Parks the calling thread until unparked or until {@code deadline} ({@link System#nanoTime()})
   * has passed, more cheaply than {@code LockSupport.parkNanos} on a virtual thread. May return
   * spuriously. A wait that parked here calls {@link #timedWaitEnded} when it is over.
   *
   * @param blocker the object waited on, for thread dumps
   * @param deadline when to give up
   */
  void parkUntil(Object blocker, long deadline);

  /** The calling thread's wait that parked in {@link #parkUntil} is over, however it ended. */
  void timedWaitEnded();

  /**
   * {@return the installed access} Set by {@code dev.coppice.core.Processes} when it loads.
   */
  static ProcessAccess get() {
    return Holder.access;
  }

  /**
   * Installs the access; called once by core.
   *
   * @param access the implementation
   */
  static void install(ProcessAccess access) {
    Holder.access = access;
  }

  /** Holds the instance. */
  final class Holder {
    private Holder() {}

    static volatile ProcessAccess access;
  }
}
