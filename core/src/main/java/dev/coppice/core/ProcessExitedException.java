// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.io.Serial;

/**
 * Thrown to code still running on the thread of a process that has already exited, for example a
 * process that was killed while it ran user code, when it tries to act through coppice (send,
 * receive, link, spawn, write a table). A process that has exited can never act again.
 *
 * <p>Do not catch it: let it unwind the thread. The runtime knows the process is dead and does not
 * log it as a crash.
 *
 * @since 0.1
 */
public final class ProcessExitedException extends IllegalStateException {
  @Serial private static final long serialVersionUID = 1L;

  private final transient Pid pid;
  private final transient ExitReason reason;

  ProcessExitedException(Pid pid, ExitReason reason) {
    super((String) null); // the message is built on demand: a kill unwinds many threads at once
    this.pid = pid;
    this.reason = reason;
  }

  @Override
  public String getMessage() {
    return "process " + pid + " has already exited (" + reason + ") and can no longer act";
  }

  /**
   * Skips capturing a stack trace: this exception only unwinds the thread of a process that has
   * already exited (a kill interrupts thousands of them at once), and its origin is always the
   * coppice call that refused to act.
   */
  @Override
  public Throwable fillInStackTrace() {
    return this;
  }

  /** {@return the process that has exited} */
  public Pid pid() {
    return pid;
  }

  /** {@return its exit reason} */
  public ExitReason reason() {
    return reason;
  }
}
