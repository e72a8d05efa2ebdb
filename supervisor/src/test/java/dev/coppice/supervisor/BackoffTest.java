// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import static dev.coppice.supervisor.Kids.kill;
import static dev.coppice.supervisor.Kids.pid;
import static dev.coppice.supervisor.Kids.started;
import static dev.coppice.supervisor.Kids.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.ExitReason;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.NoProcException;
import dev.coppice.core.genserver.OnStart;
import dev.coppice.core.genserver.ServerName;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.core.genserver.StartOptions;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.ManualTicker;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Restart backoff, beyond OTP: delays, status while waiting, and the interplay with intensity. */
@ExtendWith(NodeExtension.class)
class BackoffTest {
  static final Duration MS100 = Duration.ofMillis(100);
  static final Duration S1 = Duration.ofSeconds(1);

  final ManualTicker ticker = new ManualTicker();
  final ManualScheduler scheduler = new ManualScheduler();

  SupervisorFlags flags(Strategy strategy) {
    return SupervisorFlags.of(strategy)
        .withIntensity(1000, Duration.ofSeconds(5))
        .withTicker(ticker)
        .withScheduler(scheduler);
  }

  /** Kills the child and waits until its supervisor has handled that (and set its timer). */
  static void crash(Supervisor sup, String id) {
    kill(pid(sup, id));
    sup.countChildren();
  }

  /** Fires the oldest timer and waits until the supervisor has handled it. */
  Duration fire(Supervisor sup) {
    Duration d = scheduler.fire();
    sup.countChildren();
    return d;
  }

  Supervisor start(Node node, SupervisorFlags flags, List<ChildSpec> children) {
    Supervisor sup = Supervisor.start(node, flags, children).orElseThrow();
    for (ChildSpec c : children) {
      started(c.id());
    }
    return sup;
  }

  @Test
  void backoff_validation_namesTheValue() {
    var min =
        assertThrows(
            IllegalArgumentException.class, () -> Backoff.exponential(Duration.ZERO, S1, 0));
    assertTrue(min.getMessage().contains("PT0S"), min.getMessage());
    var max = assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(S1, MS100, 0));
    assertTrue(max.getMessage().contains("PT0.1S"), max.getMessage());
    var jitter = assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(MS100, S1, 1.5));
    assertTrue(jitter.getMessage().contains("1.5"), jitter.getMessage());
  }

  @Test
  void backoff_delay_isExponential_cappedAtMax_jitterStretchesIt() {
    Backoff.Exponential b = Backoff.exponential(MS100, S1, 0.5);
    assertEquals(MS100, b.delay(1, 0));
    assertEquals(Duration.ofMillis(800), b.delay(4, 0));
    assertEquals(S1, b.delay(5, 0));
    assertEquals(S1, b.delay(1000, 0));
    assertEquals(Duration.ofMillis(150), b.delay(1, 1.0));
    Duration jittered = b.delay(2, 0.5);
    assertEquals(Duration.ofMillis(250), jittered);
    Backoff.Exponential huge =
        Backoff.exponential(Duration.ofDays(1), java.time.temporal.ChronoUnit.FOREVER.getDuration(), 0);
    assertTrue(huge.delay(100, 0).compareTo(Duration.ofDays(1)) > 0); // saturates, no overflow
  }

  @Test
  void backoff_delaysGrow_thenResetAfterTheChildRanLongEnough(Node node) {
    ChildSpec b = worker("b").withBackoff(Backoff.exponential(MS100, S1, 0));
    Supervisor sup = start(node, flags(Strategy.ONE_FOR_ONE), List.of(b));
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      crash(sup, "b");
      assertEquals(ChildStatus.RESTARTING, Kids.status(sup, "b"));
      delays.add(fire(sup));
      started("b");
    }
    assertEquals(
        List.of(100L, 200L, 400L, 800L, 1000L, 1000L),
        delays.stream().map(Duration::toMillis).toList());

    ticker.advance(S1); // it ran for resetAfter (= max) since its last start
    crash(sup, "b");
    assertEquals(MS100, fire(sup));
    started("b");
    LogCapture.errors();
  }

  @Test
  void backoff_whileWaiting_showsRestarting_callsByNameFailFast_terminateCancels(Node node) {
    ServerName<Echo.Ping, Object> name = new ServerName<>("echo");
    ChildSpec echo =
        ChildSpec.worker(
                "echo", () -> GenServer.startLink(new Echo(), StartOptions.named(name.value())))
            .withBackoff(Backoff.exponential(S1, Duration.ofSeconds(10), 0));
    Supervisor sup =
        Supervisor.start(node, flags(Strategy.ONE_FOR_ONE), List.of(echo)).orElseThrow();
    ServerRef<Echo.Ping, Object> byName = ServerRef.named(node, name);
    assertEquals("pong", byName.call(Echo.Ping::new));

    crash(sup, "echo");
    assertEquals(ChildStatus.RESTARTING, Kids.status(sup, "echo"));
    assertThrows(NoProcException.class, () -> byName.call(Echo.Ping::new));
    assertInstanceOf(RestartChildResult.Restarting.class, sup.restartChild("echo"));
    assertEquals(DeleteChildResult.RESTARTING, sup.deleteChild("echo"));
    assertEquals(new ChildCounts(1, 0, 0, 1), sup.countChildren());

    fire(sup); // the restart happens when the timer fires
    assertEquals("pong", byName.call(Echo.Ping::new));

    crash(sup, "echo");
    assertTrue(sup.terminateChild("echo")); // cancels the wait
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "echo"));
    fire(sup); // a stale timer: ignored
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "echo"));
    assertThrows(NoProcException.class, () -> byName.call(Echo.Ping::new));
    LogCapture.errors();
  }

  @Test
  void backoff_restartCountsTowardIntensityWhenPerformed(Node node) {
    ChildSpec b = worker("b").withBackoff(Backoff.exponential(S1, Duration.ofSeconds(10), 0));
    SupervisorFlags flags = flags(Strategy.ONE_FOR_ONE).withIntensity(1, Duration.ofSeconds(5));
    Supervisor sup = start(node, flags, List.of(b));
    MonitorRef ref = Processes.monitor(sup.pid());
    crash(sup, "b");
    ticker.advance(scheduler.peekDelay());
    fire(sup); // restart 1, at t = 1 s
    started("b");
    crash(sup, "b");
    assertTrue(sup.whereis().orElseThrow().isAlive()); // a failure alone does not count
    ticker.advance(scheduler.peekDelay());
    scheduler.fire(); // restart 2, at t = 3 s: two within 5 s
    assertEquals(ExitReason.SHUTDOWN, Expect.down(ref).reason());
    LogCapture.errors();
  }

  @Test
  void backoff_delaysLongerThanThePeriod_keepACrashLoopFromEscalating(Node node) {
    Duration six = Duration.ofSeconds(6);
    ChildSpec b = worker("b").withBackoff(Backoff.exponential(six, six, 0));
    SupervisorFlags flags = flags(Strategy.ONE_FOR_ONE).withIntensity(1, Duration.ofSeconds(5));
    Supervisor sup = start(node, flags, List.of(b));
    for (int i = 0; i < 5; i++) {
      crash(sup, "b");
      ticker.advance(scheduler.peekDelay());
      fire(sup);
      started("b");
    }
    assertTrue(sup.whereis().orElseThrow().isAlive());
    LogCapture.errors();
  }

  @Test
  void backoff_restForOne_youngerSiblingsStopAtOnce_andRestartAfterTheDelay(Node node) {
    Supervisor sup =
        start(
            node,
            flags(Strategy.REST_FOR_ONE),
            List.of(
                worker("a", Kids.Mode.TRAP),
                worker("b", Kids.Mode.TRAP).withBackoff(Backoff.exponential(S1, S1, 0)),
                worker("c", Kids.Mode.TRAP),
                worker("d", Kids.Mode.TRAP)));
    Pid a = pid(sup, "a");
    crash(sup, "b");
    assertEquals(List.of("exit:d", "exit:c"), Kids.events(2));
    assertEquals(ChildStatus.RESTARTING, Kids.status(sup, "b"));
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "c")); // as OTP's later siblings
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "d"));
    assertEquals(a, pid(sup, "a"));
    fire(sup);
    assertEquals(List.of("start:b", "start:c", "start:d"), Kids.events(3));
    assertEquals(a, pid(sup, "a"));
    LogCapture.errors();
  }

  @Test
  void backoff_failedStartDuringBackoff_isRetriedAfterTheNextDelay(Node node) {
    AtomicBoolean broken = new AtomicBoolean(false);
    StartFunction good = Kids.kid("b");
    ChildSpec b =
        ChildSpec.worker(
                "b", () -> broken.get() ? new OnStart.Failed<>(ExitReason.other("x")) : good.start())
            .withBackoff(Backoff.exponential(MS100, S1, 0));
    Supervisor sup = start(node, flags(Strategy.ONE_FOR_ONE), List.of(b));
    broken.set(true);
    crash(sup, "b");
    assertEquals(MS100, fire(sup)); // this attempt fails
    assertEquals(ChildStatus.RESTARTING, Kids.status(sup, "b"));
    broken.set(false);
    assertEquals(Duration.ofMillis(200), fire(sup));
    started("b");
    assertEquals(1, LogCapture.matching(e -> "start_error".equals(e.get("errorContext"))).size());
    LogCapture.errors();
  }

  @Test
  void backoff_withCoreTimers_restartsAfterARealDelay(Node node) {
    ChildSpec b =
        worker("b").withBackoff(Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(20), 0));
    Supervisor sup =
        start(node, SupervisorFlags.oneForOne().withTicker(ticker), List.of(b));
    Pid first = pid(sup, "b");
    kill(first);
    Pid second = started("b").pid();
    assertTrue(!first.equals(second));
    LogCapture.errors();
  }

  @Test
  void backoff_underADynamicSupervisor(Node node) {
    DynamicSupervisor sup =
        DynamicSupervisor.start(
                node,
                DynamicSupervisorFlags.defaults().withTicker(ticker).withScheduler(scheduler))
            .orElseThrow();
    var r = sup.startChild(worker("b").withBackoff(Backoff.exponential(MS100, S1, 0)));
    Pid b = assertInstanceOf(DynamicStartResult.Started.class, r).pid();
    started("b");
    kill(b);
    assertEquals(ChildStatus.RESTARTING, sup.whichChildren().get(0).status());
    assertEquals(MS100, scheduler.fire());
    started("b");
    assertInstanceOf(ChildStatus.Running.class, sup.whichChildren().get(0).status());
    LogCapture.errors();
  }
}
