// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coppice.core.genserver.From;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NodeExtension.class)
class SmokeTest {
  record Ping(Pid from, int n) {}

  record Get(From<Integer> from) {}

  static final class Counter implements GenServer<Integer, Get, Integer> {
    @Override
    public Init<Integer> init() {
      return Init.ok(0);
    }

    @Override
    public Next<Integer> handleCall(Get request, Integer state) {
      return Next.reply(request.from(), state, state);
    }

    @Override
    public Next<Integer> handleCast(Integer message, Integer state) {
      return Next.noreply(state + message);
    }
  }

  @Test
  void echo_roundTrip(Node node) {
    Pid echo =
        node.spawn(
            () -> {
              for (; ; ) {
                if (Processes.receive() instanceof Ping p) {
                  Processes.send(p.from(), p.n() + 1);
                }
              }
            });
    Processes.send(echo, new Ping(Processes.self(), 41));
    assertEquals(42, Expect.receive(Integer.class));
  }

  @Test
  void genServer_castThenCall(Node node) {
    ServerRef<Get, Integer> c = GenServer.start(node, new Counter()).orElseThrow();
    for (int i = 0; i < 1000; i++) {
      c.cast(1);
    }
    assertEquals(1000, c.<Integer>call(Get::new));
  }
}
