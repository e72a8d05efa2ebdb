// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import static dev.coppice.supervisor.Kids.started;
import static dev.coppice.supervisor.Kids.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.ExitReason;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.OnStart;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.ManualTicker;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** DYN-01 to DYN-04, and SUP-11 (simple_one_for_one, which DynamicSupervisor replaces). */
@ExtendWith(NodeExtension.class)
class DynamicSupervisorTest {
  record Args(List<Object> args) {}

  final ManualTicker ticker = new ManualTicker();

  DynamicSupervisor start(Node node, DynamicSupervisorFlags flags) {
    return DynamicSupervisor.start(node, flags.withTicker(ticker)).orElseThrow();
  }

  static Pid startedPid(DynamicStartResult r) {
    return assertInstanceOf(DynamicStartResult.Started.class, r).pid();
  }

  @Test
  void dyn01_defaults_extraArguments_duplicateIds(Node node) {
    DynamicSupervisorFlags d = DynamicSupervisorFlags.defaults();
    assertEquals(3, d.intensity());
    assertEquals(Duration.ofSeconds(5), d.period());
    assertEquals(DynamicSupervisorFlags.UNLIMITED, d.maxChildren());
    assertEquals(List.of(), d.extraArguments());

    Pid test = Processes.self();
    StartFunction withArgs =
        StartFunction.withArguments(
            args -> {
              Processes.send(test, new Args(args));
              return Kids.kid("w").start();
            });
    DynamicSupervisor sup = start(node, d.withExtraArguments(List.of("xtra")));
    assertTrue(sup.whichChildren().isEmpty()); // starts with no children
    Pid one = startedPid(sup.startChild(ChildSpec.worker("w", withArgs)));
    Pid two = startedPid(sup.startChild(ChildSpec.worker("w", withArgs))); // same id: fine
    assertNotEquals(one, two);
    assertEquals(List.of("xtra"), Expect.receive(Args.class).args());
    assertEquals(List.of("xtra"), Expect.receive(Args.class).args());
    assertEquals(2, sup.countChildren().active());
    assertEquals(List.of("w", "w"), sup.whichChildren().stream().map(ChildInfo::id).toList());

    var neg =
        assertThrows(IllegalArgumentException.class, () -> d.withMaxChildren(-1));
    assertTrue(neg.getMessage().contains("-1"), neg.getMessage());
  }

  @Test
  void dyn02_startChild_outcomes_maxChildren(Node node) {
    DynamicSupervisor sup = start(node, DynamicSupervisorFlags.defaults().withMaxChildren(2));
    Pid a = startedPid(sup.startChild(worker("a")));
    startedPid(sup.startChild(worker("b")));
    assertInstanceOf(DynamicStartResult.MaxChildren.class, sup.startChild(worker("c")));
    assertTrue(sup.terminateChild(a));
    startedPid(sup.startChild(worker("c")));

    DynamicSupervisor other = start(node, DynamicSupervisorFlags.defaults());
    assertInstanceOf(
        DynamicStartResult.Ignored.class,
        other.startChild(ChildSpec.worker("i", () -> new OnStart.Ignore<>())));
    assertEquals(0, other.countChildren().specs()); // nothing stored
    var e =
        assertThrows(
            ChildStartException.class,
            () ->
                other.startChild(
                    ChildSpec.worker("f", () -> new OnStart.Failed<>(ExitReason.other("r")))));
    assertEquals(ExitReason.other("r"), e.reason());
    var boom = new IllegalStateException("boom");
    var raised =
        assertThrows(
            ChildStartException.class,
            () ->
                other.startChild(
                    ChildSpec.worker(
                        "t",
                        () -> {
                          throw boom;
                        })));
    assertEquals(ExitReason.crash(boom), raised.reason());
    var sig =
        assertThrows(
            IllegalArgumentException.class,
            () -> other.startChild(worker("s").withRestart(Restart.TRANSIENT).withSignificant(true)));
    assertTrue(sig.getMessage().contains("'s'"), sig.getMessage());
  }

  @Test
  void dyn02_restartingChildrenCountTowardMaxChildren(Node node) {
    AtomicBoolean broken = new AtomicBoolean(false);
    StartFunction good = Kids.kid("r");
    StartFunction flaky =
        () -> {
          if (broken.get()) {
            Thread.sleep(5);
            return new OnStart.Failed<>(ExitReason.other("broken"));
          }
          return good.start();
        };
    DynamicSupervisor sup =
        start(
            node,
            DynamicSupervisorFlags.defaults()
                .withMaxChildren(1)
                .withIntensity(100_000, Duration.ofSeconds(5)));
    Pid r = startedPid(sup.startChild(ChildSpec.worker("r", flaky)));
    broken.set(true);
    Kids.kill(r);
    assertEquals(
        List.of(new ChildInfo("r", ChildStatus.RESTARTING, ChildType.WORKER)),
        sup.whichChildren());
    assertEquals(new ChildCounts(1, 0, 0, 1), sup.countChildren());
    assertInstanceOf(DynamicStartResult.MaxChildren.class, sup.startChild(worker("x")));
    broken.set(false);
    started("r");
    LogCapture.errors();
  }

  @Test
  void dyn03_terminate_inspect_restartRules(Node node) {
    DynamicSupervisor sup = start(node, DynamicSupervisorFlags.defaults());
    Pid p = startedPid(sup.startChild(worker("p")));
    Pid t = startedPid(sup.startChild(worker("t").withRestart(Restart.TRANSIENT)));
    Pid tmp = startedPid(sup.startChild(worker("tmp").withRestart(Restart.TEMPORARY)));
    for (String id : List.of("p", "t", "tmp")) {
      started(id);
    }
    assertEquals(new ChildCounts(3, 3, 0, 3), sup.countChildren());

    Kids.kill(p); // permanent: restarted in place
    Pid p2 = started("p").pid();
    assertNotEquals(p, p2);
    Kids.die(t, ExitReason.NORMAL); // transient, quiet: forgotten
    Kids.kill(tmp); // temporary: forgotten
    assertEquals(
        List.of(new ChildInfo("p", new ChildStatus.Running(p2), ChildType.WORKER)),
        sup.whichChildren());

    assertTrue(sup.terminateChild(p2));
    assertFalse(sup.terminateChild(p2)); // already terminated
    assertFalse(sup.terminateChild(Processes.self())); // not a child
    assertTrue(sup.whichChildren().isEmpty());
    LogCapture.errors();
  }

  @Test
  void dyn03_restartReturningIgnore_dropsTheChild(Node node) {
    AtomicBoolean ignore = new AtomicBoolean(false);
    StartFunction good = Kids.kid("i");
    DynamicSupervisor sup = start(node, DynamicSupervisorFlags.defaults());
    Pid i =
        startedPid(
            sup.startChild(
                ChildSpec.worker("i", () -> ignore.get() ? new OnStart.Ignore<>() : good.start())));
    ignore.set(true);
    Kids.kill(i);
    assertEquals(0, sup.countChildren().specs());
    LogCapture.errors();
  }

  @Test
  void dyn03_fourCrashesInAPeriod_endTheSupervisor(Node node) {
    DynamicSupervisor sup = start(node, DynamicSupervisorFlags.defaults());
    MonitorRef ref = Processes.monitor(sup.pid());
    startedPid(sup.startChild(worker("k")));
    Pid k = started("k").pid();
    for (int i = 0; i < 3; i++) {
      ticker.advance(Duration.ofMillis(50));
      Kids.kill(k);
      k = started("k").pid();
    }
    Kids.kill(k);
    assertEquals(ExitReason.SHUTDOWN, Expect.down(ref).reason());
    assertEquals(
        1,
        LogCapture.matching(e -> "reached_max_restart_intensity".equals(e.get("errorContext")))
            .size());
    LogCapture.errors();
  }

  @Test
  void dyn04_shutdown_signalsAllChildrenTogether(Node node) {
    DynamicSupervisor sup = start(node, DynamicSupervisorFlags.defaults());
    ChildSpec slow =
        worker("slow", Kids.Mode.WAIT_RELEASE).withShutdown(Shutdown.timeout(Duration.ofSeconds(20)));
    Set<Pid> kids = new HashSet<>();
    for (String id : List.of("s1", "s2", "s3")) {
      kids.add(startedPid(sup.startChild(slow.withId(id).withStart(Kids.kid(id, Kids.Mode.WAIT_RELEASE)))));
    }
    MonitorRef ref = Processes.monitor(sup.pid());
    Pid stopper = Processes.spawn(sup::stop);
    // A one-at-a-time shutdown would signal the second child only after the first one ended,
    // which it will not do before it is released: all three signals must arrive first.
    Set<Pid> signalled = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      signalled.add(Expect.receive(Kids.GotExit.class, g -> g.id().startsWith("s")).pid());
    }
    assertEquals(kids, signalled);
    for (Pid k : kids) {
      Processes.send(k, new Kids.Release());
    }
    assertEquals(ExitReason.NORMAL, Expect.down(ref).reason());
    Expect.down(stopper);
    assertTrue(LogCapture.errors().isEmpty());
  }

  @Test
  void dyn04_shutdown_killsEachChildAfterItsOwnTimeout(Node node) {
    DynamicSupervisor sup = start(node, DynamicSupervisorFlags.defaults());
    Pid stubborn =
        startedPid(
            sup.startChild(
                worker("st", Kids.Mode.STUBBORN).withShutdown(Shutdown.timeout(Kids.SHORT))));
    Pid plain = startedPid(sup.startChild(worker("pl", Kids.Mode.TRAP)));
    MonitorRef st = Processes.monitor(stubborn);
    MonitorRef pl = Processes.monitor(plain);
    sup.stop();
    assertEquals(ExitReason.KILLED, Expect.down(st).reason());
    assertEquals(ExitReason.SHUTDOWN, Expect.down(pl).reason());
    var errors = LogCapture.errors();
    assertEquals(1, errors.size());
    assertEquals("shutdown_error", errors.get(0).get("errorContext"));
    assertEquals("st", errors.get(0).get("offender"));
  }

  @Test
  void sup11_simpleOneForOne_isDynamicSupervisor(Node node) {
    // OTP's simple_one_for_one maps onto DynamicSupervisor: one template started many times with
    // extra arguments, children terminated by pid, no ids; id-based calls find nothing.
    DynamicSupervisor sup =
        start(node, DynamicSupervisorFlags.defaults().withExtraArguments(List.of("fixed")));
    Pid test = Processes.self();
    ChildSpec template =
        ChildSpec.worker(
            "template",
            StartFunction.withArguments(
                args -> {
                  Processes.send(test, new Args(args));
                  return Kids.kid("template").start();
                }));
    Pid one = startedPid(sup.startChild(template));
    assertEquals(List.of("fixed"), Expect.receive(Args.class).args());
    Supervisor asStatic = Supervisor.of(sup.pid());
    assertFalse(asStatic.terminateChild("template")); // OTP: {error, simple_one_for_one}
    assertInstanceOf(RestartChildResult.NotFound.class, asStatic.restartChild("template"));
    assertEquals(DeleteChildResult.NOT_FOUND, asStatic.deleteChild("template"));
    assertEquals(1, asStatic.whichChildren().size());
    assertTrue(sup.terminateChild(one));
    assertFalse(sup.terminateChild(one)); // a dead former child: Elixir's not_found
  }
}
