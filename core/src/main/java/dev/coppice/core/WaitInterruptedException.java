// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.io.Serial;

/**
 * Thrown when a thread is interrupted while it waits inside a blocking coppice call (a {@code
 * ServerRef.call}, a server or supervisor start, a supervisor query, or a receive of an attached
 * process). The wait is abandoned: a reply that arrives later is dropped, never delivered, and a
 * server whose start was abandoned is killed, as on a start timeout. The thread's interrupt
 * status is set again before this is thrown, so code further up sees the interrupt too.
 *
 * <p>This is a Java concern with no OTP counterpart: Erlang processes cannot be interrupted. It is
 * deliberately not a {@code CallException}, so a loop that retries calls on {@code
 * CallException} does not swallow it and spin: an interrupted thread stops. A thread whose
 * process has exited (was killed) gets {@link ProcessExitedException} instead.
 *
 * @since 0.1
 */
public final class WaitInterruptedException extends IllegalStateException {
  @Serial private static final long serialVersionUID = 1L;

  private final transient Object waitedFor;

  /**
   * Creates the exception.
   *
   * @param waitedFor what the thread waited for: a server, a name or a description; used in the
   *     message
   */
  public WaitInterruptedException(Object waitedFor) {
    super(
        "interrupted while waiting for "
            + waitedFor
            + "; the wait was abandoned and the thread's interrupt status is set again");
    this.waitedFor = waitedFor;
  }

  /** {@return what the thread waited for: a server, a name or a description} */
  public Object waitedFor() {
    return waitedFor;
  }
}
