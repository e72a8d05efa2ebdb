// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.TestProcs.Forwarded;
import dev.coppice.testkit.Await;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NodeExtension.class)
class TimerTest {

  @Test
  void proc08_cancelTimer_returnsRemaining_thenEmpty_messageNeverArrives(Node node) {
    Pid self = Processes.self();
    TimerRef t = Processes.sendAfter(Duration.ofMillis(1000), self, "x");
    Processes.sendAfter(Duration.ofMillis(1100), self, "control");
    Optional<Duration> left = Processes.cancelTimer(t);
    assertTrue(left.isPresent());
    assertTrue(left.get().toMillis() > 900, "remaining " + left.get());
    assertEquals(Optional.empty(), Processes.cancelTimer(t), "a second cancel finds nothing");
    assertEquals(Optional.empty(), Processes.readTimer(t));
    // "control" fires 100 ms after x would have: x must not come before it
    assertEquals("control", Expect.next());
    Expect.noMessage(Duration.ofMillis(20));
  }

  @Test
  void proc08_startTimer_deliversTimerFired_readTimerCountsDown(Node node) {
    TimerRef slow = Processes.startTimer(Duration.ofSeconds(30), Processes.self(), "slow");
    long left = Processes.readTimer(slow).orElseThrow().toMillis();
    assertTrue(left > 29_000 && left <= 30_000, "left " + left);

    TimerRef t = Processes.startTimer(Duration.ofMillis(10), Processes.self(), "tick");
    TimerFired f = Expect.receive(TimerFired.class);
    assertEquals(new TimerFired(t, "tick"), f);
    assertEquals(Optional.empty(), Processes.readTimer(t));
    assertEquals(Optional.empty(), Processes.cancelTimer(t), "fired: nothing to cancel");
    assertTrue(Processes.cancelTimer(slow).isPresent());
  }

  @Test
  void proc08_cancelAfterFire_messageStaysInMailbox(Node node) {
    TimerRef t = Processes.sendAfter(Duration.ofMillis(5), Processes.self(), "now");
    // wait until it is in the mailbox without taking it
    Await.until("timer fired", () -> Processes.mailbox().contains("now"));
    assertEquals(Optional.empty(), Processes.cancelTimer(t));
    assertEquals("now", Processes.receive(Duration.ZERO), "a fired message stays queued");
  }

  @Test
  void proc08_nameResolvedAtExpiry_missingNameIsNoError(Node node) {
    Processes.sendAfter(Duration.ofMillis(100), "later", "for-later");
    Pid f = TestProcs.forwarder(node, () -> {});
    node.register("later", f);
    assertEquals("for-later", Expect.receive(Forwarded.class, x -> x.by() == f).message());

    Processes.sendAfter(Duration.ofMillis(1), "nobody", "lost");
    TimerRef marker = Processes.sendAfter(Duration.ofMillis(30), Processes.self(), "marker");
    assertEquals("marker", Expect.next());
    assertEquals(Optional.empty(), Processes.readTimer(marker));
  }

  @Test
  void proc08_timerAimedAtPid_cancelledWhenProcessDies(Node node) {
    Pid p = TestProcs.idle(node);
    TimerRef t = Processes.startTimer(Duration.ofSeconds(30), p, "late");
    TimerRef t2 = Processes.sendAfter(Duration.ofSeconds(30), p, "late");
    assertTrue(Processes.readTimer(t).isPresent());
    Processes.exit(p, ExitReason.KILL);
    assertEquals(Optional.empty(), Processes.cancelTimer(t), "cancelled with its target");
    assertEquals(Optional.empty(), Processes.readTimer(t2));
    assertEquals(Optional.empty(), Processes.cancelTimer(t2));
  }

  @Test
  void proc08_timerAtDeadPid_neverRuns(Node node) {
    Pid dead = node.spawn(() -> {});
    Expect.down(dead);
    TimerRef t = Processes.sendAfter(Duration.ofSeconds(30), dead, "x");
    assertEquals(Optional.empty(), Processes.readTimer(t));
    assertEquals(Optional.empty(), Processes.cancelTimer(t));
  }
}
