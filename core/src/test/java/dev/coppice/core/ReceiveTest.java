// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.TestProcs.Ping;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NodeExtension.class)
class ReceiveTest {

  @Test
  void proc09_selectiveReceive_takesFirstMatch_leavesOthersInOrder(Node node) {
    Pid self = Processes.self();
    Processes.send(self, "a");
    Processes.send(self, "b");
    Processes.send(self, "c");
    assertEquals("b", Processes.receive(String.class, "b"::equals, Duration.ZERO));
    assertEquals(List.of("a", "c"), Processes.mailbox());
    assertEquals("a", Processes.receive(Duration.ZERO));
    assertEquals("c", Processes.receive(Duration.ZERO));
    assertNull(Processes.receive(Duration.ZERO));
  }

  @Test
  void proc09_selectiveReceive_interleavedWithNewArrivals_keepsSendOrder(Node node) {
    Pid self = Processes.self();
    for (int i = 0; i < 10; i++) {
      Processes.send(self, new Ping(i));
    }
    assertEquals(new Ping(7), Processes.receive(Ping.class, p -> p.n() == 7, Duration.ZERO));
    for (int i = 10; i < 15; i++) {
      Processes.send(self, new Ping(i));
    }
    assertEquals(new Ping(12), Processes.receive(Ping.class, p -> p.n() == 12, Duration.ZERO));
    assertEquals(new Ping(0), Processes.receive(Ping.class, p -> true, Duration.ZERO));
    List<Integer> rest = new ArrayList<>();
    Object m;
    while ((m = Processes.receive(Duration.ZERO)) != null) {
      rest.add(((Ping) m).n());
    }
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 13, 14), rest);
  }

  @Test
  void proc09_oneSenderOneReceiver_orderKept_signalsIncluded(Node node) {
    Processes.trapExits(true);
    final int n = 20_000;
    Pid parent = Processes.self();
    Pid sender =
        Processes.spawnLink(
            () -> {
              Processes.receive(String.class);
              for (int i = 0; i < n; i++) {
                Processes.send(parent, new Ping(i));
              }
              throw Processes.exit(ExitReason.other("done"));
            });
    MonitorRef ref = Processes.monitor(sender);
    Processes.send(sender, "go");
    for (int i = 0; i < n; i++) {
      assertEquals(new Ping(i), Expect.next());
    }
    assertEquals(
        new Exit(sender, ExitReason.other("done")), Expect.next(), "Exit after the messages");
    assertEquals(new Down(ref, sender, ExitReason.other("done")), Expect.next(), "then Down");
  }

  @Test
  void proc09_receiveAfter_givesUpAfterTimeout(Node node) {
    long t0 = System.nanoTime();
    assertNull(Processes.receive(Duration.ofMillis(50)));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 50, "waited only " + ms + " ms");
    assertNull(Processes.receive(String.class, s -> true, Duration.ofMillis(20)));
    assertNull(Processes.receive(Duration.ZERO), "zero only looks");
  }

  @Test
  void proc09_receiveWakesForMessageFromAnotherProcess(Node node) {
    Pid self = Processes.self();
    node.spawn(() -> Processes.send(self, "hello"));
    assertEquals("hello", Processes.receive(Duration.ofSeconds(10)));
  }
}
