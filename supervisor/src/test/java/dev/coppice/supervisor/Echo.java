// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.genserver.From;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;

/** A GenServer child that answers {@link Ping} with "pong". */
final class Echo implements GenServer<Integer, Echo.Ping, Object> {
  record Ping(From<String> from) {}

  @Override
  public Init<Integer> init() {
    return Init.ok(0);
  }

  @Override
  public Next<Integer> handleCall(Ping request, Integer state) {
    return Next.reply(request.from(), "pong", state + 1);
  }
}
