// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.Pid;
import java.util.Objects;

/**
 * The outcome of {@link DynamicSupervisor#startChild(ChildSpec)}: Elixir's {@code {:ok, pid}},
 * {@code :ignore} and {@code {:error, :max_children}}. A start that fails is thrown as {@link
 * ChildStartException} instead.
 *
 * @since 0.1
 */
public sealed interface DynamicStartResult {

  /**
   * The child started.
   *
   * @param pid its process
   * @param value what its start function returned in {@code OnStart.Ok}
   */
  record Started(Pid pid, Object value) implements DynamicStartResult {
    /** Checks that the values are present. */
    public Started {
      Objects.requireNonNull(pid, "pid");
      Objects.requireNonNull(value, "value");
    }
  }

  /** The start function returned {@code Ignore}; nothing is kept. */
  record Ignored() implements DynamicStartResult {}

  /** The supervisor has {@link DynamicSupervisorFlags#maxChildren()} children already. */
  record MaxChildren() implements DynamicStartResult {}
}
