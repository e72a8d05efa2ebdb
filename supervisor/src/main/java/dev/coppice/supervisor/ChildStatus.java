// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.Pid;
import java.util.Objects;

/**
 * Whether a child runs: the second element of OTP's {@code which_children} entries (a pid,
 * {@code restarting} or {@code undefined}).
 *
 * @since 0.1
 */
public sealed interface ChildStatus {

  /**
   * The child waits for its own restart: a retry after a failed start, or a backoff delay. The
   * siblings its strategy restarts with it are {@link #NOT_RUNNING} meanwhile, as in OTP.
   */
  ChildStatus RESTARTING = new Restarting();

  /**
   * The child is not running: stopped, ignored, ended for good, or a sibling waiting for a
   * restarting child whose restart will start it too (see {@link Supervisor}'s life cycle).
   */
  ChildStatus NOT_RUNNING = new NotRunning();

  /**
   * The child runs as {@code pid}.
   *
   * @param pid the child's process
   */
  record Running(Pid pid) implements ChildStatus {
    /** Checks that the pid is present. */
    public Running {
      Objects.requireNonNull(pid, "pid");
    }

    @Override
    public String toString() {
      return pid.toString();
    }
  }

  /** OTP's {@code restarting}. Use {@link ChildStatus#RESTARTING}. */
  record Restarting() implements ChildStatus {
    @Override
    public String toString() {
      return "restarting";
    }
  }

  /** OTP's {@code undefined}. Use {@link ChildStatus#NOT_RUNNING}. */
  record NotRunning() implements ChildStatus {
    @Override
    public String toString() {
      return "undefined";
    }
  }
}
