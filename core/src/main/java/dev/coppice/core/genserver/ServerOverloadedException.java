// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import dev.coppice.core.MailboxBound;
import java.io.Serial;
import java.time.Duration;

/**
 * The server's bounded mailbox had no room for the call: it was refused (a {@link
 * MailboxBound.Overflow#FAIL_SENDER} bound) or dropped (a {@code DROP_NEW} or {@code DROP_OLDEST}
 * bound), and the caller learns it at once rather than at its timeout. coppice's addition, as
 * bounded mailboxes are: OTP has no such outcome. The server never saw the request. Back off and
 * retry, or shed the work.
 *
 * @since 0.1
 */
public final class ServerOverloadedException extends CallException {
  @Serial private static final long serialVersionUID = 1L;

  ServerOverloadedException(Object server, Object request, Duration timeout, Throwable cause) {
    super("overloaded", server, request, timeout, cause);
  }
}
