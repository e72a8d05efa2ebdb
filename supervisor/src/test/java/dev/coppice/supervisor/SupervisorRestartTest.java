// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import static dev.coppice.supervisor.Kids.die;
import static dev.coppice.supervisor.Kids.kill;
import static dev.coppice.supervisor.Kids.pid;
import static dev.coppice.supervisor.Kids.started;
import static dev.coppice.supervisor.Kids.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.Down;
import dev.coppice.core.ExitReason;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.OnStart;
import dev.coppice.testkit.AllowErrorLogs;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.ManualTicker;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SUP-05 to SUP-13: shutdown order and protocol, restart types, strategies, intensity. */
@ExtendWith(NodeExtension.class)
class SupervisorRestartTest {
  final ManualTicker ticker = new ManualTicker();

  SupervisorFlags flags(Strategy strategy) {
    return SupervisorFlags.of(strategy).withTicker(ticker);
  }

  Supervisor start(Node node, SupervisorFlags flags, List<ChildSpec> children) {
    Supervisor sup = Supervisor.start(node, flags, children).orElseThrow();
    for (ChildSpec c : children) {
      started(c.id());
    }
    return sup;
  }

  @Test
  void sup05_parentExit_stopsChildrenInReverseStartOrder_thenExitsWithParentsReason(Node node) {
    Processes.trapExits(true);
    List<ChildSpec> kids =
        List.of("a", "b", "c", "d", "e").stream().map(id -> worker(id, Kids.Mode.TRAP)).toList();
    Supervisor sup = Supervisor.startLink(flags(Strategy.ONE_FOR_ONE), kids).orElseThrow();
    for (String id : List.of("a", "b", "c", "d", "e")) {
      started(id);
    }
    assertInstanceOf(
        StartChildResult.Started.class, sup.startChild(worker("f", Kids.Mode.TRAP)));
    started("f");
    MonitorRef ref = Processes.monitor(sup.pid());

    Processes.exit(sup.pid(), ExitReason.SHUTDOWN); // from the parent

    assertEquals(
        List.of("exit:f", "exit:e", "exit:d", "exit:c", "exit:b", "exit:a"), Kids.events(6));
    assertEquals(ExitReason.SHUTDOWN, Expect.down(ref).reason());
  }

  @Test
  void sup06_timeout_childIgnoringShutdown_isKilledAfterTheTimeout(Node node) {
    ChildSpec stubborn =
        worker("s", Kids.Mode.STUBBORN).withShutdown(Shutdown.timeout(Duration.ofMillis(300)));
    Supervisor sup = start(node, flags(Strategy.ONE_FOR_ONE), List.of(stubborn));
    Pid s = pid(sup, "s");
    MonitorRef ref = Processes.monitor(s);

    long t0 = System.nanoTime();
    assertTrue(sup.terminateChild("s"));
    long elapsed = System.nanoTime() - t0;

    assertEquals(ExitReason.SHUTDOWN, Kids.gotExit("s").reason()); // it was asked first
    assertEquals(ExitReason.KILLED, Expect.down(ref).reason());
    assertTrue(elapsed >= Duration.ofMillis(300).toNanos(), "took only " + elapsed + " ns");
    var reports = LogCapture.matching(e -> "shutdown_error".equals(e.get("errorContext")));
    assertEquals(1, reports.size());
    assertEquals(ExitReason.KILLED, reports.get(0).get("reason"));
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "s"));
  }

  @Test
  void sup06_brutalKill_killsAtOnce_withoutAReport(Node node) {
    ChildSpec trap = worker("t", Kids.Mode.STUBBORN).withShutdown(Shutdown.brutalKill());
    Supervisor sup = start(node, flags(Strategy.ONE_FOR_ONE), List.of(trap));
    MonitorRef ref = Processes.monitor(pid(sup, "t"));
    assertTrue(sup.terminateChild("t"));
    assertEquals(ExitReason.KILLED, Expect.down(ref).reason());
    assertTrue(LogCapture.errors().isEmpty());
    Expect.noMessage(Duration.ofMillis(20)); // no GotExit: kill cannot be trapped
  }

  @Test
  void sup06_infinity_waitsForTheChild(Node node) {
    ChildSpec slow = worker("w", Kids.Mode.WAIT_RELEASE).withShutdown(Shutdown.infinity());
    Supervisor sup = start(node, flags(Strategy.ONE_FOR_ONE), List.of(slow));
    Pid w = pid(sup, "w");
    MonitorRef ref = Processes.monitor(w);
    Pid caller = Processes.spawn(() -> sup.terminateChild("w"));
    MonitorRef callerRef = Processes.monitor(caller);
    Kids.gotExit("w");
    Expect.noMessage(Duration.ofMillis(100)); // still waiting: no Down of w or of the caller
    Processes.send(w, new Kids.Release());
    assertEquals(ExitReason.SHUTDOWN, Expect.down(ref).reason());
    assertEquals(ExitReason.NORMAL, Expect.down(callerRef).reason());
    assertTrue(LogCapture.errors().isEmpty());
  }

  @Test
  void sup06_childThatUnlinkedItself_isStillWatchedAndStopped(Node node) {
    Pid observer = Processes.self();
    // A child that unlinks itself from its supervisor: only the monitor can tell the supervisor
    // that it ended, and only the monitor can tell that a shutdown is done.
    StartFunction unlinking =
        () -> {
          Pid sup = Processes.self();
          Pid child =
              Processes.spawnLink(
                  () -> {
                    Processes.unlink(sup);
                    Processes.send(sup, new Kids.Ack(Processes.self()));
                    Processes.send(observer, new Kids.Started("u", Processes.self()));
                    if (Processes.receive() instanceof Kids.Die d) {
                      throw Processes.exit(d.reason());
                    }
                  });
          Processes.receive(Kids.Ack.class, a -> a.pid() == child, Duration.ofSeconds(10));
          return new OnStart.Ok<>(child);
        };
    Supervisor sup =
        start(
            node,
            flags(Strategy.ONE_FOR_ONE),
            List.of(ChildSpec.worker("u", unlinking).withShutdown(Shutdown.timeout(Kids.SHORT))));
    Pid first = pid(sup, "u");
    assertEquals(ExitReason.other("crash"), die(first, ExitReason.other("crash")).reason());
    Pid second = started("u").pid();
    assertNotEquals(first, second);
    assertEquals(second, pid(sup, "u"));

    MonitorRef ref = Processes.monitor(second);
    assertTrue(sup.terminateChild("u"));
    assertEquals(ExitReason.SHUTDOWN, Expect.down(ref).reason());
    assertEquals(1, LogCapture.errors().size()); // child_terminated for the crash
  }

  @Test
  void sup07_permanentNormalExit_countsTowardIntensity(Node node) {
    Supervisor sup =
        start(
            node,
            flags(Strategy.ONE_FOR_ONE).withIntensity(0, Duration.ofSeconds(5)),
            List.of(worker("a")));
    MonitorRef ref = Processes.monitor(sup.pid());
    die(pid(sup, "a"), ExitReason.NORMAL);
    assertEquals(ExitReason.SHUTDOWN, Expect.down(ref).reason());
    var reports =
        LogCapture.matching(e -> "reached_max_restart_intensity".equals(e.get("errorContext")));
    assertEquals(1, reports.size());
  }

  @Test
  void sup07_transientQuietExit_keepsSpecNotRunning_restartChildBringsItBack(Node node) {
    Supervisor sup =
        start(
            node,
            flags(Strategy.ONE_FOR_ONE),
            List.of(worker("a").withRestart(Restart.TRANSIENT)));
    die(pid(sup, "a"), ExitReason.shutdown("x"));
    assertEquals(
        List.of(new ChildInfo("a", ChildStatus.NOT_RUNNING, ChildType.WORKER)),
        sup.whichChildren());
    assertEquals(0, sup.countChildren().active());
    assertTrue(LogCapture.errors().isEmpty()); // quiet exits are not reported
    var r = assertInstanceOf(RestartChildResult.Restarted.class, sup.restartChild("a"));
    assertEquals(r.pid(), started("a").pid());
  }

  @Test
  void sup07_childEndingBeforeItIsMonitored_isJudgedByItsRealReason(Node node) {
    // The child ends normally before its start function returns, so the supervisor's monitor
    // fires with noproc; the real reason (normal) must decide: a transient child stays down.
    StartFunction quick =
        () -> {
          Pid child = Processes.spawnLink(() -> {});
          Expect.down(child);
          return new OnStart.Ok<>(child);
        };
    Supervisor sup =
        Supervisor.start(
                node,
                flags(Strategy.ONE_FOR_ONE),
                List.of(ChildSpec.worker("q", quick).withRestart(Restart.TRANSIENT)))
            .orElseThrow();
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "q"));
    assertTrue(LogCapture.errors().isEmpty());
  }

  @Test
  void sup08_oneForOne_onlyTheFailedChildRestarts(Node node) {
    Supervisor sup = start(node, flags(Strategy.ONE_FOR_ONE), List.of(worker("c1"), worker("c2")));
    Pid c1 = pid(sup, "c1");
    Pid c2 = pid(sup, "c2");
    kill(c1);
    Pid c1b = started("c1").pid();
    assertNotEquals(c1, c1b);
    assertEquals(c1b, pid(sup, "c1"));
    assertEquals(c2, pid(sup, "c2"));
    assertEquals(1, LogCapture.errors().size()); // child_terminated, killed
  }

  @Test
  void sup09_oneForAll_restartsAll_dropsTemporaryBystanders(Node node) {
    Supervisor sup =
        start(
            node,
            flags(Strategy.ONE_FOR_ALL),
            List.of(
                worker("a", Kids.Mode.TRAP),
                worker("t", Kids.Mode.TRAP).withRestart(Restart.TEMPORARY),
                worker("tr", Kids.Mode.TRAP).withRestart(Restart.TRANSIENT),
                worker("c", Kids.Mode.TRAP)));
    Pid a = pid(sup, "a");
    Pid tr = pid(sup, "tr");
    Pid c = pid(sup, "c");
    kill(c);
    assertEquals(
        List.of("exit:tr", "exit:t", "exit:a", "start:a", "start:tr", "start:c"),
        Kids.events(6));
    assertEquals(List.of("c", "tr", "a"), sup.whichChildren().stream().map(ChildInfo::id).toList());
    Pid a2 = pid(sup, "a");
    Pid c2 = pid(sup, "c");
    assertNotEquals(a, a2);
    assertNotEquals(tr, pid(sup, "tr"));
    assertNotEquals(c, c2);

    die(pid(sup, "tr"), ExitReason.NORMAL); // ends for good: no group restart
    assertEquals(a2, pid(sup, "a"));
    assertEquals(c2, pid(sup, "c"));
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "tr"));
    LogCapture.errors();
  }

  @Test
  void sup10_restForOne_stopsYoungerInReverse_restartsInOrder_leavesOlderAlone(Node node) {
    List<String> ids = List.of("a", "b", "c", "d", "e");
    Supervisor sup =
        start(
            node,
            flags(Strategy.REST_FOR_ONE),
            ids.stream().map(id -> worker(id, Kids.Mode.TRAP)).toList());
    Pid a = pid(sup, "a");
    Pid b = pid(sup, "b");
    kill(pid(sup, "c"));
    assertEquals(
        List.of("exit:e", "exit:d", "start:c", "start:d", "start:e"), Kids.events(5));
    assertEquals(a, pid(sup, "a"));
    assertEquals(b, pid(sup, "b"));
    LogCapture.errors();
  }

  @Test
  void sup12_intensityWindow_onTheTicker(Node node) {
    SupervisorFlags f = flags(Strategy.ONE_FOR_ONE).withIntensity(1, Duration.ofSeconds(2));
    Supervisor apart = start(node, f, List.of(worker("x")));
    kill(pid(apart, "x"));
    started("x");
    ticker.advance(Duration.ofMillis(3100));
    kill(pid(apart, "x"));
    started("x");
    assertTrue(apart.whereis().orElseThrow().isAlive());
    apart.stop();

    Supervisor close = start(node, f, List.of(worker("y")));
    MonitorRef ref = Processes.monitor(close.pid());
    kill(pid(close, "y"));
    started("y");
    ticker.advance(Duration.ofMillis(1200));
    kill(pid(close, "y"));
    assertEquals(ExitReason.SHUTDOWN, Expect.down(ref).reason());
    var reports =
        LogCapture.matching(e -> "reached_max_restart_intensity".equals(e.get("errorContext")));
    assertEquals(1, reports.size());
    assertEquals("y", reports.get(0).get("offender"));
    assertEquals(
        4, LogCapture.matching(e -> "child_terminated".equals(e.get("errorContext"))).size());
  }

  @Test
  void sup12_groupRestartCountsOnce(Node node) {
    SupervisorFlags f = flags(Strategy.REST_FOR_ONE).withIntensity(1, Duration.ofSeconds(10));
    Supervisor sup = start(node, f, List.of(worker("a"), worker("b"), worker("c"), worker("d")));
    MonitorRef ref = Processes.monitor(sup.pid());
    kill(pid(sup, "a"));
    for (String id : List.of("a", "b", "c", "d")) {
      started(id);
    }
    assertEquals(4, sup.countChildren().active());
    kill(pid(sup, "a"));
    assertEquals(ExitReason.SHUTDOWN, Expect.down(ref).reason());
    LogCapture.errors();
  }

  @Test
  void sup12_intensityZero_firstFailureEndsTheSupervisor(Node node) {
    Supervisor sup =
        start(
            node,
            flags(Strategy.ONE_FOR_ONE).withIntensity(0, Duration.ofSeconds(1)),
            List.of(worker("a", Kids.Mode.TRAP), worker("b", Kids.Mode.TRAP)));
    MonitorRef ref = Processes.monitor(sup.pid());
    kill(pid(sup, "b"));
    assertEquals(List.of("exit:a"), Kids.events(1)); // the survivors are stopped
    assertEquals(ExitReason.SHUTDOWN, Expect.down(ref).reason());
    LogCapture.errors();
  }

  @Test
  @AllowErrorLogs
  void sup13_failingRestart_showsRestarting_supervisorStillAnswers(Node node) {
    AtomicBoolean broken = new AtomicBoolean(false);
    StartFunction good = Kids.kid("r");
    StartFunction slowlyFailing =
        () -> {
          if (broken.get()) {
            Thread.sleep(5); // a slow failing start, as in OTP's scenario
            return new OnStart.Failed<>(ExitReason.other("still broken"));
          }
          return good.start();
        };
    Supervisor sup =
        start(
            node,
            flags(Strategy.ONE_FOR_ONE).withIntensity(100_000, Duration.ofSeconds(5)),
            List.of(ChildSpec.worker("r", slowlyFailing), worker("s")));
    broken.set(true);
    kill(pid(sup, "r"));

    assertEquals(ChildStatus.RESTARTING, Kids.status(sup, "r"));
    assertEquals(new ChildCounts(2, 1, 0, 2), sup.countChildren());
    assertInstanceOf(RestartChildResult.Restarting.class, sup.restartChild("r"));
    assertEquals(DeleteChildResult.RESTARTING, sup.deleteChild("r"));
    assertInstanceOf(
        StartChildResult.AlreadyPresent.class, sup.startChild(ChildSpec.worker("r", good)));

    assertTrue(sup.terminateChild("r")); // stops the retries
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "r"));
    broken.set(false);
    var r = assertInstanceOf(RestartChildResult.Restarted.class, sup.restartChild("r"));
    assertEquals(r.pid(), started("r").pid());
    assertTrue(
        LogCapture.matching(e -> "start_error".equals(e.get("errorContext"))).size() >= 1);
  }

  @Test
  void sup13_failingRestart_everyAttemptCounts_thenEscalates(Node node) {
    AtomicBoolean broken = new AtomicBoolean(false);
    AtomicInteger attempts = new AtomicInteger();
    StartFunction good = Kids.kid("r");
    StartFunction failing =
        () -> {
          if (broken.get()) {
            attempts.incrementAndGet();
            return new OnStart.Failed<>(ExitReason.other("broken"));
          }
          return good.start();
        };
    Supervisor sup =
        start(
            node,
            flags(Strategy.ONE_FOR_ONE).withIntensity(3, Duration.ofSeconds(5)),
            List.of(ChildSpec.worker("r", failing), worker("s", Kids.Mode.TRAP)));
    MonitorRef ref = Processes.monitor(sup.pid());
    broken.set(true);
    kill(pid(sup, "r"));
    assertEquals(ExitReason.SHUTDOWN, Expect.down(ref).reason());
    assertEquals(3, attempts.get());
    assertEquals(ExitReason.SHUTDOWN, Kids.gotExit("s").reason()); // its sibling went down too
    assertEquals(3, LogCapture.matching(e -> "start_error".equals(e.get("errorContext"))).size());
    assertEquals(
        1,
        LogCapture.matching(e -> "reached_max_restart_intensity".equals(e.get("errorContext")))
            .size());
    LogCapture.errors();
  }

  /** A start function that fails (slowly, as in OTP's scenario) while {@code broken} is set. */
  private static StartFunction failingWhile(AtomicBoolean broken, String id) {
    StartFunction good = Kids.kid(id);
    return () -> {
      if (broken.get()) {
        Thread.sleep(5); // a slow failing start, so the retry loop does not spin
        return new OnStart.Failed<>(ExitReason.other("broken"));
      }
      return good.start();
    };
  }

  /**
   * OTP's supervisor_SUITE {@code hanging_restart_loop_rest_for_one}: while b's restart keeps
   * failing, b is restarting and the later sibling c is not running (undefined), not restarting;
   * c answers as any stopped child does, and a restart by hand starts it.
   */
  @Test
  @AllowErrorLogs
  void sup13_restForOne_failingRestart_laterSiblingIsNotRunning_andRestartsByHand(Node node) {
    AtomicBoolean broken = new AtomicBoolean(false);
    Supervisor sup =
        start(
            node,
            flags(Strategy.REST_FOR_ONE).withIntensity(100_000, Duration.ofSeconds(5)),
            List.of(worker("a"), ChildSpec.worker("b", failingWhile(broken, "b")), worker("c")));
    Pid a = pid(sup, "a");
    broken.set(true);
    kill(pid(sup, "b"));

    assertEquals(
        List.of(
            new ChildInfo("c", ChildStatus.NOT_RUNNING, ChildType.WORKER),
            new ChildInfo("b", ChildStatus.RESTARTING, ChildType.WORKER),
            new ChildInfo("a", new ChildStatus.Running(a), ChildType.WORKER)),
        sup.whichChildren());
    assertEquals(new ChildCounts(3, 1, 0, 3), sup.countChildren());
    assertInstanceOf(
        StartChildResult.AlreadyPresent.class, sup.startChild(ChildSpec.worker("b", Kids.kid("b"))));
    assertInstanceOf(RestartChildResult.Restarting.class, sup.restartChild("b"));
    assertEquals(DeleteChildResult.RESTARTING, sup.deleteChild("b"));

    // c is not running: restart_child starts it at once ({ok, Pid} in OTP).
    var byHand = assertInstanceOf(RestartChildResult.Restarted.class, sup.restartChild("c"));
    assertEquals(byHand.pid(), started("c").pid());
    // b's next attempt restarts its rest_for_one group, so it stops the c started by hand first
    // (OTP's terminate_children before start_children): never two c's.
    Expect.down(Processes.monitor(byHand.pid())); // it may be gone already (then noproc)
    assertEquals(Optional.of(ExitReason.SHUTDOWN), byHand.pid().exitReason());
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "c")); // that attempt failed too

    broken.set(false); // the retry that follows starts b, then c
    assertEquals(List.of("start:b", "start:c"), Kids.events(2));
    assertEquals(a, pid(sup, "a"));
    assertNotEquals(byHand.pid(), pid(sup, "c"));
    assertEquals(new ChildCounts(3, 3, 0, 3), sup.countChildren());
  }

  /**
   * While b's restart keeps failing, terminate_child of the later sibling c succeeds and leaves it
   * where it was (not running, started with b), delete_child of d forgets it (b's restart does not
   * start it), and terminate_child of b stops the retries without starting anyone; a restart_child
   * of b then starts b alone, as in OTP.
   */
  @Test
  @AllowErrorLogs
  void sup15_restForOne_failingRestart_laterSiblingsTerminateAndDeleteAsStopped(Node node) {
    AtomicBoolean broken = new AtomicBoolean(false);
    Supervisor sup =
        start(
            node,
            flags(Strategy.REST_FOR_ONE).withIntensity(100_000, Duration.ofSeconds(5)),
            List.of(
                worker("a"),
                ChildSpec.worker("b", failingWhile(broken, "b")),
                worker("c"),
                worker("d")));
    broken.set(true);
    kill(pid(sup, "b"));
    assertEquals(ChildStatus.RESTARTING, Kids.status(sup, "b"));
    assertTrue(sup.terminateChild("c"));
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "c"));
    assertEquals(DeleteChildResult.DELETED, sup.deleteChild("d"));
    assertNull(Kids.status(sup, "d"));
    broken.set(false);
    assertEquals(List.of("start:b", "start:c"), Kids.events(2));
    assertEquals(List.of("c", "b", "a"), ids(sup));

    broken.set(true);
    kill(pid(sup, "b"));
    assertTrue(sup.terminateChild("b")); // stops the retries
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "b"));
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "c"));
    broken.set(false);
    var b = assertInstanceOf(RestartChildResult.Restarted.class, sup.restartChild("b"));
    assertEquals(b.pid(), started("b").pid());
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "c")); // b's restart_child starts b only
    Expect.noMessage(Kids.SHORT);
  }

  /** One_for_all: the children after the one whose start failed are not running, not restarting. */
  @Test
  @AllowErrorLogs
  void sup13_oneForAll_failingRestart_othersAreNotRunning_thenAllStart(Node node) {
    AtomicBoolean broken = new AtomicBoolean(false);
    Supervisor sup =
        start(
            node,
            flags(Strategy.ONE_FOR_ALL).withIntensity(100_000, Duration.ofSeconds(5)),
            List.of(worker("a"), ChildSpec.worker("b", failingWhile(broken, "b")), worker("c")));
    broken.set(true);
    kill(pid(sup, "c"));
    assertEquals(List.of("start:a"), Kids.events(1)); // a starts again, then b fails
    assertEquals(ChildStatus.RESTARTING, Kids.status(sup, "b"));
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "c"));
    assertInstanceOf(ChildStatus.Running.class, Kids.status(sup, "a"));
    broken.set(false); // every attempt restarts a too (one_for_all); the next one starts all
    Pid b = started("b").pid();
    Pid c = started("c").pid();
    assertEquals(b, pid(sup, "b"));
    assertEquals(c, pid(sup, "c"));
    assertInstanceOf(ChildStatus.Running.class, Kids.status(sup, "a"));
  }

  private static List<String> ids(Supervisor sup) {
    return sup.whichChildren().stream().map(ChildInfo::id).toList();
  }
}
