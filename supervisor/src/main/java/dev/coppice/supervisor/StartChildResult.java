// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.Pid;
import java.util.Objects;

/**
 * The outcome of {@link Supervisor#startChild(ChildSpec)}: OTP's {@code {ok, Pid}}, {@code {ok,
 * undefined}}, {@code {error, {already_started, Pid}}} and {@code {error, already_present}}. A
 * start that fails is thrown as {@link ChildStartException} instead.
 *
 * @since 0.1
 */
public sealed interface StartChildResult {

  /**
   * The child started.
   *
   * @param pid its process
   * @param value what its start function returned in {@code OnStart.Ok}, for example a {@link
   *     dev.coppice.core.genserver.ServerRef}; OTP's {@code Info} of {@code {ok, Pid, Info}}
   */
  record Started(Pid pid, Object value) implements StartChildResult {
    /** Checks that the values are present. */
    public Started {
      Objects.requireNonNull(pid, "pid");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * The start function returned {@code Ignore}. A temporary child is forgotten; any other keeps
   * its spec and shows as {@link ChildStatus#NOT_RUNNING}.
   */
  record Ignored() implements StartChildResult {}

  /**
   * A child with that id runs already; nothing was started.
   *
   * @param pid the running child
   */
  record AlreadyStarted(Pid pid) implements StartChildResult {}

  /**
   * A child with that id exists but does not run; nothing was started. Use {@link
   * Supervisor#restartChild} or {@link Supervisor#deleteChild}.
   */
  record AlreadyPresent() implements StartChildResult {}
}
