// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.TestProcs.Ping;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Kill semantics (architecture §2): death is a state; a killed thread can no longer act. */
@ExtendWith(NodeExtension.class)
class KillTest {

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS), "latch not released in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void proc02_killedThreadStillRunning_failsEveryLaterAction_signalsFiredAtOnce(Node node) {
    Processes.trapExits(true);
    Pid test = Processes.self();
    AtomicBoolean go = new AtomicBoolean();
    CountDownLatch spinning = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Map<String, Throwable> outcomes = new ConcurrentHashMap<>();
    Pid victim =
        Processes.spawnLink(
            () -> {
              spinning.countDown();
              while (!go.get()) {
                Thread.onSpinWait(); // user code that never looks at coppice
              }
              Map<String, Runnable> actions = new LinkedHashMap<>();
              actions.put("send", () -> Processes.send(test, "from-the-dead"));
              actions.put("sendByName", () -> Processes.send("test", "from-the-dead"));
              actions.put("receive", () -> Processes.receive());
              actions.put("receiveZero", () -> Processes.receive(Duration.ZERO));
              actions.put(
                  "receiveSelective",
                  () -> Processes.receive(String.class, s -> true, Duration.ofSeconds(1)));
              actions.put("link", () -> Processes.link(test));
              actions.put("unlink", () -> Processes.unlink(test));
              actions.put("monitor", () -> Processes.monitor(test));
              actions.put("spawn", () -> Processes.spawn(() -> Processes.send(test, "orphan")));
              actions.put(
                  "spawnLink", () -> Processes.spawnLink(() -> Processes.send(test, "orphan")));
              actions.put("whileAlive", () -> Processes.whileAlive(() -> "acted"));
              actions.put("trapExits", () -> Processes.trapExits(true));
              actions.put("exitOther", () -> Processes.exit(test, ExitReason.other("zombie")));
              actions.put("exitSelf", () -> Processes.exit(ExitReason.other("zombie")));
              actions.put("register", () -> Processes.register("zombie", Processes.self()));
              actions.put("ensureAlive", Processes::ensureAlive);
              actions.put("sendAfter", () -> Processes.sendAfter(Duration.ZERO, test, "timer"));
              actions.put("startTimer", () -> Processes.startTimer(Duration.ZERO, test, "timer"));
              for (var e : actions.entrySet()) {
                Throwable t = TestProcs.thrown(e.getValue());
                outcomes.put(e.getKey(), t == null ? new AssertionError("did not throw") : t);
              }
              done.countDown();
            });
    Processes.register("test", test);
    MonitorRef ref = Processes.monitor(victim);
    await(spinning);
    Processes.exit(victim, ExitReason.KILL);
    // links and monitors fired before exit() returned, though the thread still runs
    assertEquals(
        new Exit(victim, ExitReason.KILLED),
        Processes.receive(Exit.class, e -> true, Duration.ZERO));
    assertEquals(
        new Down(ref, victim, ExitReason.KILLED),
        Processes.receive(Down.class, d -> true, Duration.ZERO));
    assertFalse(victim.isAlive());

    go.set(true);
    await(done);
    for (var e : outcomes.entrySet()) {
      assertInstanceOf(
          ProcessExitedException.class, e.getValue(), e.getKey() + " must fail: " + e.getValue());
      ProcessExitedException pe = (ProcessExitedException) e.getValue();
      assertEquals(victim, pe.pid());
      assertEquals(ExitReason.KILLED, pe.reason());
    }
    Expect.noMessage(Duration.ofMillis(50));
    assertEquals(1, node.processCount(), "no orphan was spawned");
    assertTrue(LogCapture.errors().isEmpty(), "a killed thread unwinding is no crash");
  }

  @Test
  void exitHooks_runBeforeLinksAndMonitors_whenKilled(Node node) {
    Pid p = TestProcs.idle(node);
    assertHookThenExitThenDown(p, () -> Processes.exit(p, ExitReason.KILL), ExitReason.KILLED);
  }

  @Test
  void exitHooks_runBeforeLinksAndMonitors_whenExitingOnItsOwnThread(Node node) {
    Pid p = TestProcs.dieOnCommand(node);
    ExitReason boom = ExitReason.other("boom");
    assertHookThenExitThenDown(p, () -> Processes.send(p, new TestProcs.Die(boom)), boom);
  }

  @Test
  void exitHooks_runBeforeLinksAndMonitors_whenReturningNormally(Node node) {
    Pid p = TestProcs.dieOnCommand(node);
    assertHookThenExitThenDown(
        p, () -> Processes.send(p, new TestProcs.Die(ExitReason.NORMAL)), ExitReason.NORMAL);
  }

  private static void assertHookThenExitThenDown(Pid p, Runnable end, ExitReason reason) {
    Pid test = Processes.self();
    Processes.trapExits(true);
    Processes.link(p);
    MonitorRef ref = Processes.monitor(p);
    List<ExitReason> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Processes.onExit(
        p,
        (pid, r) -> {
          seen.add(r);
          Processes.send(test, "hook"); // hooks may send, on whichever thread runs them
        });
    end.run();
    assertEquals("hook", Expect.next());
    assertEquals(new Exit(p, reason), Expect.next());
    assertEquals(new Down(ref, p, reason), Expect.next());
    assertEquals(List.of(reason), seen);
    assertTrue(LogCapture.errors().isEmpty(), "no hook failed: " + LogCapture.errors());
  }

  @Test
  void exitHooks_runInRegistrationOrder_cancelledHookNeverRuns(Node node) {
    Pid p = TestProcs.idle(node);
    List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
    Processes.onExit(p, (pid, r) -> order.add("first"));
    var second = Processes.onExit(p, (pid, r) -> order.add("second")).orElseThrow();
    Processes.onExit(p, (pid, r) -> order.add("third"));
    assertEquals(p, second.pid());
    assertTrue(second.cancel());
    assertFalse(second.cancel(), "already removed");
    Processes.exit(p, ExitReason.KILL);
    assertEquals(List.of("first", "third"), order);
    assertTrue(
        Processes.onExit(p, (pid, r) -> order.add("late")).isEmpty(), "dead: not registered");
  }

  @Test
  void exitHook_thatThrows_isLogged_andTheExitGoesOn(Node node) {
    Pid p = TestProcs.idle(node);
    Processes.onExit(
        p,
        (pid, r) -> {
          throw new IllegalStateException("hook bug");
        });
    AtomicBoolean next = new AtomicBoolean();
    Processes.onExit(p, (pid, r) -> next.set(true));
    MonitorRef ref = Processes.monitor(p);
    Processes.exit(p, ExitReason.KILL);
    assertEquals(ExitReason.KILLED, Expect.down(ref).reason());
    assertTrue(next.get());
    assertEquals(1, LogCapture.errors().size());
  }

  @Test
  void whileAlive_fromKilledProcess_throws_andKillWaitsForARunningAction(Node node) {
    Pid test = Processes.self();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean hookRanDuringAction = new AtomicBoolean();
    AtomicBoolean hookRan = new AtomicBoolean();
    AtomicInteger afterKill = new AtomicInteger();
    Pid victim =
        node.spawn(
            () -> {
              Processes.whileAlive(
                  () -> {
                    inside.countDown();
                    await(release);
                    hookRanDuringAction.set(hookRan.get());
                    return null;
                  });
              // killed by now: a second action must not run
              try {
                Processes.whileAlive(() -> afterKill.incrementAndGet());
              } catch (ProcessExitedException expected) {
                afterKill.addAndGet(100);
              }
              Processes.send(test, "unreachable");
            });
    Processes.onExit(
        victim,
        (pid, r) -> {
          hookRan.set(true);
          Processes.send(test, "hook");
        });
    MonitorRef ref = Processes.monitor(victim);
    await(inside);
    Pid killer = node.spawn(() -> Processes.exit(victim, ExitReason.KILL));
    // the killer is waiting for the action: the hook cannot have run
    Expect.noMessage(Duration.ofMillis(100));
    assertFalse(hookRan.get());
    assertTrue(killer.isAlive(), "the killer waits for the victim's action");
    release.countDown();
    assertEquals("hook", Expect.next());
    assertEquals(ExitReason.KILLED, Expect.down(ref).reason());
    Expect.down(killer);
    assertFalse(hookRanDuringAction.get(), "the exit hooks waited for the action to finish");
    dev.coppice.testkit.Await.until("victim thread done", () -> afterKill.get() != 0);
    assertEquals(100, afterKill.get(), "whileAlive after the kill threw and ran nothing");
    Expect.noMessage(Duration.ofMillis(20));
  }

  @Test
  void whileAlive_onPlainThread_justRuns(Node node) {
    assertEquals(
        "ran", TestProcs.await(TestProcs.onPlainThread(() -> Processes.whileAlive(() -> "ran"))));
    assertEquals("ran", Processes.whileAlive(() -> "ran"));
  }

  @Test
  void kill_neverLetsAMessageFromTheVictimFollowItsDown(Node node) {
    Pid test = Processes.self();
    for (int round = 0; round < 30; round++) {
      Pid victim =
          node.spawn(
              () -> {
                for (int i = 0; ; i++) {
                  Processes.send(test, new Ping(i));
                }
              });
      MonitorRef ref = Processes.monitor(victim);
      Expect.receive(Ping.class);
      Processes.exit(victim, ExitReason.KILL);
      // drain up to the Down; nothing from the victim may come after it
      for (; ; ) {
        Object m = Expect.next();
        if (m instanceof Down d) {
          assertEquals(ref, d.ref());
          break;
        }
      }
      Object late = Processes.receive(Duration.ofMillis(5));
      assertEquals(null, late, "round " + round + ": a message from the victim after its Down");
    }
  }

  @Test
  void kill_neverLetsAnExitSignalFromTheVictimFollowItsLinkExit(Node node) {
    Processes.trapExits(true);
    Pid test = Processes.self();
    for (int round = 0; round < 20; round++) {
      Pid victim =
          Processes.spawnLink(
              () -> {
                for (int i = 0; ; i++) {
                  Processes.exit(test, ExitReason.other(i));
                }
              });
      Expect.receive(Exit.class);
      Processes.exit(victim, ExitReason.KILL);
      for (; ; ) {
        Exit e = (Exit) Expect.next();
        if (e.reason() == ExitReason.KILLED) {
          break;
        }
      }
      Object late = Processes.receive(Duration.ofMillis(5));
      assertEquals(null, late, "round " + round + ": a signal from the victim after its Exit");
    }
  }

  @Test
  void killedProcessThreadEnds_onceItIsInterrupted(Node node) {
    CountDownLatch started = new CountDownLatch(1);
    Pid sleeper =
        node.spawn(
            () -> {
              started.countDown();
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Processes.ensureAlive(); // throws: the kill interrupted us
              }
            });
    await(started);
    Processes.exit(sleeper, ExitReason.KILL);
    assertTrue(node.awaitThreads(Duration.ofSeconds(10)));
    assertTrue(node.liveThreads().isEmpty());
    assertEquals(ExitReason.KILLED, sleeper.exitReason().orElseThrow());
  }
}
