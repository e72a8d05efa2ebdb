// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.testkit.Await;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The long-mailbox monitor: marks, hysteresis, bounded and unbounded mailboxes, ended ones. */
@ExtendWith(NodeExtension.class)
class LongMailboxMonitorTest {

  record Msg(int n) {}

  /** A process that takes one message per permit; {@code taken} counts what it took. */
  private static Pid slowConsumer(Node node, Semaphore permits, Semaphore taken, MailboxBound b) {
    return node.spawn(
        () -> {
          for (; ; ) {
            try {
              permits.acquire();
            } catch (InterruptedException e) {
              throw Processes.exit(ExitReason.KILLED);
            }
            Processes.receive();
            taken.release();
          }
        },
        b);
  }

  private static void take(Semaphore permits, Semaphore taken, int n) throws Exception {
    permits.release(n);
    assertTrue(taken.tryAcquire(n, 10, TimeUnit.SECONDS));
  }

  private void hysteresis(Node node, MailboxBound bound) throws Exception {
    Semaphore permits = new Semaphore(0);
    Semaphore taken = new Semaphore(0);
    Pid p = slowConsumer(node, permits, taken, bound);
    List<LongMailbox> events = new CopyOnWriteArrayList<>();
    // an interval of an hour: the test drives the scans itself, so every step is deterministic
    try (LongMailboxMonitor m = node.monitorLongMailboxes(10, 3, Duration.ofHours(1), events::add)) {
      for (int i = 0; i < 9; i++) {
        node.send(p, new Msg(i));
      }
      m.scan();
      assertEquals(List.of(), events, "below the high mark");
      node.send(p, new Msg(9));
      m.scan();
      assertEquals(List.of(new LongMailbox(p, true, 10)), events);
      assertEquals(Set.of(p), m.longNow());
      node.send(p, new Msg(10));
      m.scan();
      assertEquals(1, events.size(), "still long: no second event");
      take(permits, taken, 6); // 5 left: between the marks
      m.scan();
      assertEquals(1, events.size(), "between the marks: nothing");
      take(permits, taken, 2); // 3 left: at the low mark
      m.scan();
      assertEquals(new LongMailbox(p, false, 3), events.get(1));
      assertEquals(Set.of(), m.longNow());
      for (int i = 0; i < 6; i++) { // 9: below high again
        node.send(p, new Msg(i));
      }
      m.scan();
      assertEquals(2, events.size(), "back between the marks from below: nothing");
    }
  }

  @Test
  void longMailbox_unbounded_risesAtHigh_fallsAtLow_notBetween(Node node) throws Exception {
    hysteresis(node, null);
  }

  @Test
  void longMailbox_bounded_risesAtHigh_fallsAtLow_notBetween(Node node) throws Exception {
    hysteresis(node, MailboxBound.dropNew(1_000));
  }

  @Test
  void longMailbox_processEndsWhileLong_raisesTheFall(Node node) throws Exception {
    Semaphore permits = new Semaphore(0);
    Pid p = slowConsumer(node, permits, new Semaphore(0), null);
    List<LongMailbox> events = new CopyOnWriteArrayList<>();
    try (LongMailboxMonitor m = node.monitorLongMailboxes(2, 0, Duration.ofHours(1), events::add)) {
      node.send(p, new Msg(0));
      node.send(p, new Msg(1));
      m.scan();
      MonitorRef ref = Processes.monitor(p);
      Processes.exit(p, ExitReason.KILL);
      dev.coppice.testkit.Expect.down(ref);
      m.scan();
      assertEquals(List.of(new LongMailbox(p, true, 2), new LongMailbox(p, false, 0)), events);
    }
  }

  @Test
  void longMailbox_scheduledScans_reportWithoutHelp(Node node) throws Exception {
    Semaphore permits = new Semaphore(0);
    Semaphore taken = new Semaphore(0);
    Pid p = slowConsumer(node, permits, taken, null);
    List<LongMailbox> events = new CopyOnWriteArrayList<>();
    try (LongMailboxMonitor m = node.monitorLongMailboxes(5, 1, Duration.ofMillis(2), events::add)) {
      assertEquals(5, m.high());
      for (int i = 0; i < 5; i++) {
        node.send(p, new Msg(i));
      }
      Await.until("the long event", () -> events.size() == 1);
      take(permits, taken, 4);
      Await.until("the fall", () -> events.size() == 2);
      assertEquals(List.of(new LongMailbox(p, true, 5), new LongMailbox(p, false, 1)), events);
    }
  }

  @Test
  void monitorLongMailboxes_badMarks_nameTheValue(Node node) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> node.monitorLongMailboxes(5, 5, Duration.ofSeconds(1), ev -> {}));
    assertTrue(e.getMessage().contains("got 5"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> node.monitorLongMailboxes(0, 0, Duration.ofSeconds(1), ev -> {}));
  }
}
