// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import static dev.coppice.supervisor.Kids.started;
import static dev.coppice.supervisor.Kids.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.ExitReason;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Node;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.OnStart;
import dev.coppice.core.genserver.StartOptions;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SUP-01 to SUP-04: flags, child specs, start order and failures at start. */
@ExtendWith(NodeExtension.class)
class SupervisorStartTest {

  @Test
  void sup01_flags_defaultsAreElixirs() {
    SupervisorFlags f = SupervisorFlags.oneForOne();
    assertEquals(Strategy.ONE_FOR_ONE, f.strategy());
    assertEquals(3, f.intensity());
    assertEquals(Duration.ofSeconds(5), f.period());
    assertEquals(AutoShutdown.NEVER, f.autoShutdown());
    assertEquals(Strategy.REST_FOR_ONE, SupervisorFlags.restForOne().strategy());
    assertEquals(Strategy.ONE_FOR_ALL, SupervisorFlags.oneForAll().strategy());
  }

  @Test
  void sup01_flags_invalidValues_areRejectedWithTheValue() {
    var negative =
        assertThrows(
            IllegalArgumentException.class,
            () -> SupervisorFlags.oneForOne().withIntensity(-1, Duration.ofSeconds(5)));
    assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
    var zeroPeriod =
        assertThrows(
            IllegalArgumentException.class,
            () -> SupervisorFlags.oneForOne().withIntensity(1, Duration.ZERO));
    assertTrue(zeroPeriod.getMessage().contains("PT0S"), zeroPeriod.getMessage());
    assertThrows(NullPointerException.class, () -> SupervisorFlags.of(null));
  }

  @Test
  void sup01_flags_hugePeriodAndTimeouts_doNotOverflow(Node node) {
    Duration forever = java.time.temporal.ChronoUnit.FOREVER.getDuration();
    Supervisor sup =
        Supervisor.start(
                node,
                SupervisorFlags.oneForOne().withIntensity(1, forever),
                List.of(worker("a").withShutdown(Shutdown.timeout(forever))))
            .orElseThrow();
    started("a");
    Kids.kill(Kids.pid(sup, "a"));
    started("a");
    assertTrue(sup.terminateChild("a"));
    LogCapture.errors();
  }

  @Test
  void sup01_initReturningNull_failsTheStart(Node node) {
    OnStart<Supervisor> r = Supervisor.start(node, () -> null, StartOptions.DEFAULTS);
    var failed = assertInstanceOf(OnStart.Failed.class, r);
    var crash = assertInstanceOf(ExitReason.Crash.class, failed.reason());
    assertTrue(crash.cause().getMessage().contains("returned null"), crash.cause().getMessage());
    assertFalse(LogCapture.errors().isEmpty()); // the init crash is reported once
  }

  @Test
  void sup02_childSpec_defaultsFilledIn(Node node) {
    ChildSpec w = ChildSpec.worker("w", Kids.kid("w"));
    assertEquals(Restart.PERMANENT, w.restart());
    assertEquals(Shutdown.timeout(Duration.ofSeconds(5)), w.shutdown());
    assertEquals(ChildType.WORKER, w.type());
    assertFalse(w.significant());
    assertEquals(Backoff.NONE, w.backoff());
    ChildSpec s = ChildSpec.supervisor("s", Kids.kid("s"));
    assertEquals(Shutdown.infinity(), s.shutdown());
    assertEquals(ChildType.SUPERVISOR, s.type());

    Supervisor sup = Supervisor.start(node, SupervisorFlags.oneForOne(), List.of(w)).orElseThrow();
    assertEquals(w, sup.getChildSpec("w").orElseThrow());
    assertTrue(sup.getChildSpec("nope").isEmpty());
  }

  @Test
  void sup02_childSpec_invalidValues_areRejectedWithTheValue() {
    var blank = assertThrows(IllegalArgumentException.class, () -> worker(" "));
    assertTrue(blank.getMessage().contains("' '"), blank.getMessage());
    var negative =
        assertThrows(
            IllegalArgumentException.class, () -> Shutdown.timeout(Duration.ofMillis(-5)));
    assertTrue(negative.getMessage().contains("PT-0.005S"), negative.getMessage());
    assertThrows(NullPointerException.class, () -> ChildSpec.worker(null, Kids.kid("x")));
    assertThrows(NullPointerException.class, () -> ChildSpec.worker("x", null));
  }

  @Test
  void sup02_duplicateIds_areRejectedAtStart(Node node) {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Supervisor.start(
                    node, SupervisorFlags.oneForOne(), List.of(worker("a"), worker("a"))));
    assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    assertTrue(e.getMessage().contains("duplicate_child_name"), e.getMessage());
  }

  @Test
  void sup02_duplicateIdsFromInitCallback_failTheStart(Node node) {
    OnStart<Supervisor> r =
        Supervisor.start(
            node,
            () -> SupervisorInit.ok(SupervisorFlags.oneForOne(), List.of(worker("a"), worker("a"))),
            StartOptions.DEFAULTS);
    var crash =
        assertInstanceOf(
            ExitReason.Crash.class, assertInstanceOf(OnStart.Failed.class, r).reason());
    assertInstanceOf(IllegalArgumentException.class, crash.cause());
    LogCapture.errors();
  }

  @Test
  void sup03_childFailsAtStart_startedOnesStopInReverse_laterOnesNeverStart(Node node) {
    AtomicInteger cStarts = new AtomicInteger();
    List<ChildSpec> specs =
        List.of(
            worker("a", Kids.Mode.TRAP),
            worker("a2", Kids.Mode.TRAP),
            ChildSpec.worker("b", () -> new OnStart.Failed<>(ExitReason.other("nope"))),
            ChildSpec.worker(
                "c",
                () -> {
                  cStarts.incrementAndGet();
                  return Kids.kid("c").start();
                }));
    OnStart<Supervisor> r = Supervisor.start(node, SupervisorFlags.oneForOne(), specs);

    var failed = assertInstanceOf(OnStart.Failed.class, r);
    assertEquals(
        ExitReason.shutdown(new FailedToStartChild("b", ExitReason.other("nope"))),
        failed.reason());
    started("a");
    started("a2");
    assertEquals(List.of("exit:a2", "exit:a"), Kids.events(2));
    assertEquals(0, cStarts.get());
    var reports = LogCapture.matching(e -> "start_error".equals(e.get("errorContext")));
    assertEquals(1, reports.size());
    assertEquals("b", reports.get(0).get("offender"));
  }

  @Test
  void sup03_childStartThrowsOrReturnsBadValue_failsWithThatReason(Node node) {
    var boom = new IllegalStateException("boom");
    OnStart<Supervisor> thrown =
        Supervisor.start(
            node,
            SupervisorFlags.oneForOne(),
            List.of(
                ChildSpec.worker(
                    "t",
                    () -> {
                      throw boom;
                    })));
    assertEquals(
        ExitReason.shutdown(new FailedToStartChild("t", ExitReason.crash(boom))),
        assertInstanceOf(OnStart.Failed.class, thrown).reason());

    OnStart<Supervisor> bad =
        Supervisor.start(
            node,
            SupervisorFlags.oneForOne(),
            List.of(ChildSpec.worker("v", () -> new OnStart.Ok<>("not a process"))));
    var reason = assertInstanceOf(OnStart.Failed.class, bad).reason();
    var detail =
        (FailedToStartChild) assertInstanceOf(ExitReason.Shutdown.class, reason).detail();
    assertEquals("v", detail.id());
    assertTrue(detail.reason().toString().contains("not a process"), detail.toString());
    assertEquals(2, LogCapture.errors().size());
  }

  @Test
  void sup03_startLink_failedChild_takesDownANonTrappingParent(Node node) {
    // As in OTP: the supervisor exits with {shutdown, {failed_to_start_child, ...}} and the link
    // carries that to its parent.
    var parent =
        node.spawn(
            () ->
                Supervisor.startLink(
                    SupervisorFlags.oneForOne(),
                    List.of(ChildSpec.worker("b", () -> new OnStart.Failed<>(ExitReason.other("x"))))));
    Expect.down(parent); // noproc if it was already gone: read its reason from the pid
    assertEquals(
        ExitReason.shutdown(new FailedToStartChild("b", ExitReason.other("x"))),
        parent.exitReason().orElseThrow());
    LogCapture.errors();
  }

  @Test
  void sup03_initReturnsIgnore_startReturnsIgnore(Node node) {
    assertInstanceOf(
        OnStart.Ignore.class,
        Supervisor.start(node, SupervisorInit::ignore, StartOptions.DEFAULTS));
  }

  @Test
  void sup04_childStartReturnsIgnore_keptUnlessTemporary(Node node) {
    ChildSpec ig = ChildSpec.worker("ig", () -> new OnStart.Ignore<>());
    ChildSpec igt = ig.withId("igt").withRestart(Restart.TEMPORARY);
    Supervisor sup =
        Supervisor.start(node, SupervisorFlags.oneForOne(), List.of(ig, igt)).orElseThrow();
    assertEquals(
        List.of(new ChildInfo("ig", ChildStatus.NOT_RUNNING, ChildType.WORKER)),
        sup.whichChildren());
    assertEquals(new ChildCounts(1, 0, 0, 1), sup.countChildren());

    assertInstanceOf(StartChildResult.Ignored.class, sup.startChild(ig.withId("later")));
    assertInstanceOf(StartChildResult.AlreadyPresent.class, sup.startChild(ig.withId("later")));
    assertInstanceOf(StartChildResult.Ignored.class, sup.startChild(igt.withId("tlater")));
    assertTrue(sup.getChildSpec("tlater").isEmpty());
  }

  @Test
  void startLink_fromAProcess_linksTheParent(Node node) {
    Processes.trapExits(true);
    Supervisor sup =
        Supervisor.startLink(SupervisorFlags.oneForOne(), List.of(worker("a"))).orElseThrow();
    started("a");
    MonitorRef ref = Processes.monitor(sup.pid());
    sup.stop();
    assertEquals(ExitReason.NORMAL, Expect.down(ref).reason());
  }
}
