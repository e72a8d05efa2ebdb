// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.genserver.From;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.testkit.Await;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The timer behind timed waits of processes ({@link Deadlines}): one slot per process, filed once
 * while its waits keep ending early, waits that time out are woken on time, and a wait that ended
 * is never woken by the timer.
 */
@ExtendWith(NodeExtension.class)
class DeadlinesTest {

  record Ping(Pid from) {}

  record Result(Object value) {}

  /**
   * Answers every Ping with "pong", but only once the asker is parked in a timed wait (its
   * slot has a deadline), so that every wait of these tests really goes through the timer.
   */
  private static Pid ponger(Node node) {
    return node.spawn(
        () -> {
          for (; ; ) {
            Object m = Processes.receive();
            if (m instanceof Ping p) {
              awaitTimedWait(p.from());
              Processes.send(p.from(), "pong");
            } else if ("stop".equals(m)) {
              return;
            }
          }
        });
  }

  /** Waits until {@code pid} is parked in a timed wait (its slot has a deadline). */
  private static void awaitTimedWait(Pid pid) {
    Await.until(
        pid + " waits with a deadline",
        () -> {
          Deadlines.Slot s = pid.proc.deadlineSlot;
          return s != null && s.deadline != 0;
        });
  }

  /** One round trip whose receive parks with a timeout; the reply ends it early. */
  private static void pingWithTimeout(Pid ponger, Duration timeout) {
    Processes.send(ponger, new Ping(Processes.self()));
    Object reply = Processes.receive(timeout);
    if (!"pong".equals(reply)) {
      throw new AssertionError("expected pong, got " + reply);
    }
  }

  private static Deadlines.Slot slotOf(Pid pid) {
    return Await.value("the slot of " + pid, () -> pid.proc.deadlineSlot);
  }

  @Test
  void timedReceivesThatEndEarly_fileTheProcessOnce_andTheTimerWakesNoOne(Node node) {
    Pid test = Processes.self();
    Pid ponger = ponger(node);
    Pid waiter =
        node.spawn(
            () -> {
              for (int i = 0; i < 2_000; i++) {
                pingWithTimeout(ponger, Duration.ofSeconds(5));
              }
              Processes.send(test, new Result("done"));
              Processes.receive(); // stay alive until the test has looked
            });
    assertEquals("done", Expect.receive(Result.class).value());
    Deadlines.Slot slot = slotOf(waiter);
    assertEquals(1, slot.filings, "2,000 timed waits with later and later deadlines: one filing");
    assertEquals(0, slot.timeouts);
    assertEquals(0, slot.deadline, "no wait in progress");
    Processes.send(waiter, "go");
    Processes.send(ponger, "stop");
  }

  @Test
  void aShorterWaitAfterALongerOne_timesOutOnTime(Node node) {
    Pid test = Processes.self();
    Pid ponger = ponger(node);
    node.spawn(
        () -> {
          pingWithTimeout(ponger, Duration.ofSeconds(30)); // files the slot for +30 s
          long t0 = System.nanoTime();
          Object none = Processes.receive(Duration.ofMillis(50)); // must not wait for that filing
          Processes.send(test, new Result(none == null ? System.nanoTime() - t0 : "a message"));
        });
    Object elapsed = Expect.receive(Result.class).value(); // 10 s: the old filing would take 30
    assertTrue(elapsed instanceof Long, "the 50 ms receive got " + elapsed);
    long ms = (Long) elapsed / 1_000_000;
    assertTrue(ms >= 50 && ms < 5_000, "a 50 ms receive timed out after " + ms + " ms");
    Processes.send(ponger, "stop");
  }

  @Test
  void aWaitThatTimesOut_isWokenByTheTimer_andTheSlotIsDroppedAfterwards(Node node) {
    Pid test = Processes.self();
    Pid waiter =
        node.spawn(
            () -> {
              Object none = Processes.receive(Duration.ofMillis(20));
              Processes.send(test, new Result(none == null ? "timeout" : none));
              Processes.receive();
            });
    assertEquals("timeout", Expect.receive(Result.class).value());
    Deadlines.Slot slot = slotOf(waiter);
    assertEquals(1, slot.timeouts);
    Await.until("the timer drops the idle slot", () -> slot.filed == 0);
    assertEquals(1, slot.timeouts);
    Processes.send(waiter, "go");
  }

  @Test
  void aWaitThatEndedEarly_isDroppedAtItsDeadline_withoutAWakeUp(Node node) {
    Pid test = Processes.self();
    Pid ponger = ponger(node);
    Pid waiter =
        node.spawn(
            () -> {
              pingWithTimeout(ponger, Duration.ofMillis(30));
              Processes.send(test, new Result("done"));
              Processes.receive(); // untimed: the old deadline must not wake it
              Processes.send(test, new Result("woken by a message"));
            });
    assertEquals("done", Expect.receive(Result.class).value());
    Deadlines.Slot slot = slotOf(waiter);
    Await.until("the timer drops the slot at the old deadline", () -> slot.filed == 0);
    assertEquals(0, slot.timeouts, "the timer woke a wait that had ended");
    Expect.noMessage(Duration.ofMillis(20));
    Processes.send(waiter, "go");
    assertEquals("woken by a message", Expect.receive(Result.class).value());
    Processes.send(ponger, "stop");
  }

  // ------------------------------------------------------------------ calls

  record Echo(Pid caller, From<Object> from) {}

  /** Replies "pong", once the caller is parked in its timed wait for the reply. */
  static final class EchoServer implements GenServer<Object, Echo, Object> {
    @Override
    public Init<Object> init() {
      return Init.ok("pong");
    }

    @Override
    public Next<Object> handleCall(Echo request, Object state) {
      awaitTimedWait(request.caller());
      return Next.reply(request.from(), state, state);
    }
  }

  @Test
  void callsWithTheDefaultTimeout_fileTheCallerOnce(Node node) {
    Pid test = Processes.self();
    ServerRef<Echo, Object> echo = GenServer.start(node, new EchoServer()).orElseThrow();
    Pid caller =
        node.spawn(
            () -> {
              Pid me = Processes.self();
              for (int i = 0; i < 2_000; i++) {
                assertEquals("pong", echo.call(from -> new Echo(me, from)));
              }
              Processes.send(test, new Result("done"));
              Processes.receive();
            });
    assertEquals("done", Expect.receive(Result.class).value());
    Deadlines.Slot slot = slotOf(caller);
    assertTrue(slot.filings <= 1, "2,000 calls filed the caller " + slot.filings + " times");
    assertEquals(0, slot.timeouts);
    Processes.send(caller, "go");
    echo.stop();
  }

  @Test
  void aTimedWaitOnAPlatformThread_needsNoSlot(Node node) {
    assertNull(Processes.receive(Duration.ofMillis(5)));
    Pid self = Processes.self();
    assertNull(self.proc.deadlineSlot, "the attached test thread is a platform thread");
    assertNotNull(self.proc);
  }
}
