// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.Pid;
import java.util.Objects;

/**
 * The outcome of {@link Supervisor#restartChild(String)}: OTP's {@code {ok, Pid}}, {@code {ok,
 * undefined}} and {@code {error, running | restarting | not_found}}. A start that fails is thrown
 * as {@link ChildStartException} instead (the child stays not running).
 *
 * @since 0.1
 */
public sealed interface RestartChildResult {

  /**
   * The child was not running and has started.
   *
   * @param pid its process
   * @param value what its start function returned in {@code OnStart.Ok}
   */
  record Restarted(Pid pid, Object value) implements RestartChildResult {
    /** Checks that the values are present. */
    public Restarted {
      Objects.requireNonNull(pid, "pid");
      Objects.requireNonNull(value, "value");
    }
  }

  /** The start function returned {@code Ignore}; the child stays not running. */
  record Ignored() implements RestartChildResult {}

  /** The child runs already; nothing happened. */
  record Running() implements RestartChildResult {}

  /** The child waits for a restart; nothing happened. */
  record Restarting() implements RestartChildResult {}

  /** No child has that id. */
  record NotFound() implements RestartChildResult {}
}
