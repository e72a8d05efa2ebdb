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

  /** The child waits for a restart: a retry after a failed start, or a backoff delay. */
  ChildStatus RESTARTING = new Restarting();

  /** The child is not running and nothing will restart it on its own. */
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
