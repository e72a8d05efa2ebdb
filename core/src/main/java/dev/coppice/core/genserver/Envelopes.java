// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import dev.coppice.core.ExitReason;

/** INTERNAL: the messages a GenServer's loop tells apart from plain infos. */
final class Envelopes {
  private Envelopes() {}

  record Call(Object request) {}

  record Cast(Object message) {}

  record SystemStop(ExitReason reason) {}
}
