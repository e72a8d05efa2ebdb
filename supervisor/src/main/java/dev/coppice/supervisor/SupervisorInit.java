// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import java.util.List;
import java.util.Objects;

/**
 * The result of a supervisor's init callback: OTP's {@code init/1} returning {@code {ok, {Flags,
 * Children}}} or {@code ignore}. See {@link Supervisor#startLink(java.util.concurrent.Callable,
 * dev.coppice.core.genserver.StartOptions)}.
 *
 * @since 0.1
 */
public sealed interface SupervisorInit {

  /**
   * {@return the result that starts the supervisor with these flags and children}
   *
   * @param flags the flags
   * @param children the children, in start order
   */
  static SupervisorInit ok(SupervisorFlags flags, List<ChildSpec> children) {
    return new Ok(flags, children);
  }

  /** {@return the result that declines to start: the start returns {@code Ignore}} */
  static SupervisorInit ignore() {
    return new Ignore();
  }

  /**
   * Start with these flags and children.
   *
   * @param flags the flags
   * @param children the children, in start order
   */
  record Ok(SupervisorFlags flags, List<ChildSpec> children) implements SupervisorInit {
    /** Checks the values and copies the list. */
    public Ok {
      Objects.requireNonNull(flags, "flags");
      children = List.copyOf(children);
    }
  }

  /** Do not start; the supervisor exits normally and the start returns {@code Ignore}. */
  record Ignore() implements SupervisorInit {}
}
