// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import dev.coppice.core.ExitReason;

/** INTERNAL: the messages a GenServer's loop tells apart from plain infos. */
final class Envelopes {
  private Envelopes() {}

  record Call(Object request) {}

  record Cast(Object message) {}

  record SystemStop(ExitReason reason) {}

  /** {@code sys:get_state}: the server replies with its state, its callbacks do not run. */
  record SystemGetState(From<Object> from) {}

  /** {@code sys:replace_state}: the server applies the function to its state and replies. */
  record SystemReplaceState(java.util.function.UnaryOperator<Object> update, From<Object> from) {}
}
