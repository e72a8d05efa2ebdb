// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.ExitReason;
import java.io.Serial;
import java.util.Objects;

/**
 * A child's start function failed when asked to start it by {@link Supervisor#startChild},
 * {@link Supervisor#restartChild} or {@link DynamicSupervisor#startChild}: OTP's {@code {error,
 * Reason}}. Nothing was started: a spec given to {@code startChild} is dropped, and a child given
 * to {@code restartChild} stays not running.
 *
 * @since 0.1
 */
public final class ChildStartException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** The child's id. */
  private final String id;
  private final transient ExitReason reason;

  /**
   * Creates the exception.
   *
   * @param id the child's id
   * @param reason why the start failed
   */
  public ChildStartException(String id, ExitReason reason) {
    super(
        "child '" + id + "' failed to start: " + reason,
        reason instanceof ExitReason.Crash c ? c.cause() : null);
    this.id = Objects.requireNonNull(id, "id");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** {@return the child's id} */
  public String id() {
    return id;
  }

  /** {@return why the start failed} */
  public ExitReason reason() {
    return reason;
  }
}
