// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import java.io.Serial;
import java.time.Duration;

/**
 * The server was not alive when called, or no process has the name called: OTP's {@code noproc}.
 *
 * @since 0.1
 */
public final class NoProcException extends CallException {
  @Serial private static final long serialVersionUID = 1L;

  NoProcException(Object server, Object request, Duration timeout) {
    super("noproc", server, request, timeout, null);
  }
}
