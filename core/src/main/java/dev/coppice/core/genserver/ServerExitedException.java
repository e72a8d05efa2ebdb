// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import dev.coppice.core.ExitReason;
import java.io.Serial;
import java.time.Duration;

/**
 * The server exited before it replied; {@link #reason()} is its exit reason (OTP: the caller
 * exits with that reason).
 *
 * @since 0.1
 */
public final class ServerExitedException extends CallException {
  @Serial private static final long serialVersionUID = 1L;

  private final transient ExitReason reason;

  ServerExitedException(Object server, Object request, Duration timeout, ExitReason reason) {
    super(
        "server exited (" + reason + ")",
        server,
        request,
        timeout,
        reason instanceof ExitReason.Crash c ? c.cause() : null);
    this.reason = reason;
  }

  /** {@return the server's exit reason} */
  public ExitReason reason() {
    return reason;
  }
}
