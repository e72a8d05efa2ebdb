// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import java.io.Serial;
import java.time.Duration;

/**
 * No reply arrived in time: OTP's {@code timeout}. A reply that arrives later is discarded; it
 * never reaches the caller.
 *
 * @since 0.1
 */
public final class CallTimeoutException extends CallException {
  @Serial private static final long serialVersionUID = 1L;

  CallTimeoutException(Object server, Object request, Duration timeout) {
    super("timeout", server, request, timeout, null);
  }
}
