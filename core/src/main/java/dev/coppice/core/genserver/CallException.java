// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import java.io.Serial;
import java.time.Duration;

/**
 * A call did not get a reply: Elixir's {@code {reason, {GenServer, :call, [server, request,
 * timeout]}}}. The subclasses are the reasons (OTP's three, and an overloaded bounded mailbox,
 * which OTP lacks); each carries the server, a description of the
 * request and the timeout.
 *
 * <pre>{@code
 * try {
 *   return stack.call(Pop::new, Duration.ofMillis(100));
 * } catch (CallException e) {
 *   switch (e) {
 *     case CallTimeoutException t -> ...
 *     case NoProcException n -> ...
 *     case ServerExitedException x -> log.warn("stack died: {}", x.reason());
 *     case ServerOverloadedException o -> ...
 *   }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public abstract sealed class CallException extends RuntimeException
    permits CallTimeoutException, NoProcException, ServerExitedException, ServerOverloadedException {
  @Serial private static final long serialVersionUID = 1L;

  private final transient Object server;
  private final transient Object request;
  private final transient Duration timeout;

  CallException(String what, Object server, Object request, Duration timeout, Throwable cause) {
    super(
        what + " in call(" + server + ", " + request + ", " + ServerRef.describe(timeout) + ")",
        cause);
    this.server = server;
    this.request = request;
    this.timeout = timeout;
  }

  /** {@return the server called: a pid or a registered name} */
  public Object server() {
    return server;
  }

  /** {@return the request, or null when the request was never built} */
  public Object request() {
    return request;
  }

  /** {@return the timeout of the call} */
  public Duration timeout() {
    return timeout;
  }
}
