// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import java.util.Objects;

/**
 * A registered server name that remembers the server's request types, so that {@link
 * ServerRef#named} gives a typed reference. The name itself is an ordinary registry name.
 *
 * <pre>{@code
 * static final ServerName<StackCall, Push> STACK = new ServerName<>("stack");
 * GenServer.start(node, new Stack(), StartOptions.named(STACK.value()));
 * ServerRef<StackCall, Push> stack = ServerRef.named(node, STACK);
 * }</pre>
 *
 * @param value the registered name
 * @param <Q> the server's call request type
 * @param <C> the server's cast message type
 * @since 0.1
 */
public record ServerName<Q, C>(String value) {
  /** Checks that the name is present and not blank. */
  public ServerName {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("a server name must not be blank");
    }
  }
}
