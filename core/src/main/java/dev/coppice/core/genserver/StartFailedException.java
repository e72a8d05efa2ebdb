// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import dev.coppice.core.ExitReason;
import java.io.Serial;

/**
 * Thrown by {@link OnStart#orElseThrow()} when a start did not succeed.
 *
 * @since 0.1
 */
public final class StartFailedException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final transient ExitReason reason;

  StartFailedException(ExitReason reason) {
    super(
        "start failed: " + reason,
        reason instanceof ExitReason.Crash c ? c.cause() : null);
    this.reason = reason;
  }

  /** {@return why the start failed} */
  public ExitReason reason() {
    return reason;
  }
}
