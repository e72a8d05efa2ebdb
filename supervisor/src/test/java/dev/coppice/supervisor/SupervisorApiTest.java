// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import static dev.coppice.supervisor.Kids.die;
import static dev.coppice.supervisor.Kids.kill;
import static dev.coppice.supervisor.Kids.pid;
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
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.NoProcException;
import dev.coppice.core.genserver.OnStart;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.core.genserver.StartOptions;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.event.Level;

/** SUP-14 to SUP-18 and the supervisor reports: the management API and exit signals. */
@ExtendWith(NodeExtension.class)
class SupervisorApiTest {

  static Supervisor start(Node node, SupervisorFlags flags, List<ChildSpec> children) {
    Supervisor sup = Supervisor.start(node, flags, children).orElseThrow();
    for (ChildSpec c : children) {
      started(c.id());
    }
    return sup;
  }

  @Test
  void sup14_startChild_outcomes(Node node) {
    Supervisor sup = start(node, SupervisorFlags.oneForOne(), List.of(worker("x")));
    Pid x = pid(sup, "x");
    assertEquals(new StartChildResult.AlreadyStarted(x), sup.startChild(worker("x")));
    assertTrue(sup.terminateChild("x"));
    assertInstanceOf(StartChildResult.AlreadyPresent.class, sup.startChild(worker("x")));

    var e =
        assertThrows(
            ChildStartException.class,
            () ->
                sup.startChild(
                    ChildSpec.worker("bad", () -> new OnStart.Failed<>(ExitReason.other("nope")))));
    assertEquals("bad", e.id());
    assertEquals(ExitReason.other("nope"), e.reason());
    assertTrue(e.getMessage().contains("'bad'"), e.getMessage());
    assertTrue(sup.getChildSpec("bad").isEmpty()); // the spec is thrown away

    var started =
        assertInstanceOf(
            StartChildResult.Started.class,
            sup.startChild(ChildSpec.worker("echo", () -> GenServer.startLink(new Echo()))));
    @SuppressWarnings("unchecked")
    ServerRef<Echo.Ping, Object> echo = (ServerRef<Echo.Ping, Object>) started.value();
    assertEquals("pong", echo.call(Echo.Ping::new));
    assertEquals(started.pid(), echo.whereis().orElseThrow());
    assertEquals("echo", sup.whichChildren().get(0).id()); // the newest
  }

  @Test
  void sup15_terminateRestartDelete(Node node) {
    Supervisor sup =
        start(
            node,
            SupervisorFlags.oneForOne().withIntensity(0, Duration.ofSeconds(5)),
            List.of(worker("p"), worker("t").withRestart(Restart.TEMPORARY)));
    assertTrue(sup.terminateChild("t"));
    assertInstanceOf(RestartChildResult.NotFound.class, sup.restartChild("t"));
    assertEquals(DeleteChildResult.NOT_FOUND, sup.deleteChild("t"));
    assertFalse(sup.terminateChild("nope"));

    assertInstanceOf(RestartChildResult.Running.class, sup.restartChild("p"));
    assertEquals(DeleteChildResult.RUNNING, sup.deleteChild("p"));
    assertTrue(sup.terminateChild("p")); // never counts as a restart: intensity is 0
    assertTrue(sup.terminateChild("p")); // already stopped: still ok
    var r = assertInstanceOf(RestartChildResult.Restarted.class, sup.restartChild("p"));
    assertEquals(r.pid(), started("p").pid());
    assertTrue(sup.terminateChild("p"));
    assertEquals(DeleteChildResult.DELETED, sup.deleteChild("p"));
    assertTrue(sup.getChildSpec("p").isEmpty());
    assertTrue(sup.whichChildren().isEmpty());
    assertTrue(sup.whereis().orElseThrow().isAlive());
  }

  @Test
  void sup15_restartChild_startFailsOrIgnores(Node node) {
    StartFunction ignoreThenFail =
        new StartFunction() {
          int calls;

          @Override
          public OnStart<?> start() {
            return calls++ == 0
                ? new OnStart.Ignore<>()
                : new OnStart.Failed<>(ExitReason.other("boom"));
          }
        };
    Supervisor sup =
        Supervisor.start(
                node,
                SupervisorFlags.oneForOne(),
                List.of(
                    ChildSpec.worker("ig", () -> new OnStart.Ignore<>()),
                    ChildSpec.worker("k", ignoreThenFail)))
            .orElseThrow();
    assertInstanceOf(RestartChildResult.Ignored.class, sup.restartChild("ig"));
    var e = assertThrows(ChildStartException.class, () -> sup.restartChild("k"));
    assertEquals("k", e.id());
    assertEquals(ExitReason.other("boom"), e.reason());
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "k"));
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "ig"));
  }

  @Test
  void sup16_whichChildren_newestFirst_countChildren(Node node) {
    Supervisor sup =
        start(node, SupervisorFlags.oneForOne(), List.of(worker("a"), worker("b"), worker("c")));
    sup.startChild(worker("d"));
    started("d");
    sup.startChild(
        ChildSpec.supervisor(
            "s", () -> Supervisor.startLink(SupervisorFlags.oneForOne(), List.of())));
    sup.terminateChild("b");
    assertEquals(
        List.of("s", "d", "c", "b", "a"),
        sup.whichChildren().stream().map(ChildInfo::id).toList());
    assertEquals(new ChildCounts(5, 4, 1, 4), sup.countChildren());
    ChildInfo s = sup.whichChildren().get(0);
    assertEquals(ChildType.SUPERVISOR, s.type());
    assertInstanceOf(ChildStatus.Running.class, s.status());
    sup.stop(); // stop the tree in order, rather than have Node.close kill it in any order
  }

  @Test
  void sup17_significant_validation(Node node) {
    ChildSpec sig = worker("sig").withSignificant(true);
    var permanent =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Supervisor.start(
                    node,
                    SupervisorFlags.oneForOne().withAutoShutdown(AutoShutdown.ANY_SIGNIFICANT),
                    List.of(sig)));
    assertTrue(permanent.getMessage().contains("'sig'"), permanent.getMessage());
    assertTrue(permanent.getMessage().contains("PERMANENT"), permanent.getMessage());

    Supervisor never = Supervisor.start(node, SupervisorFlags.oneForOne(), List.of()).orElseThrow();
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> never.startChild(sig.withRestart(Restart.TRANSIENT)));
    assertTrue(e.getMessage().contains("NEVER"), e.getMessage());
    assertTrue(never.whichChildren().isEmpty());
  }

  @Test
  void sup17_anySignificant_endingForGood_shutsDownAfterStoppingTheOthers(Node node) {
    Supervisor sup =
        start(
            node,
            SupervisorFlags.oneForOne().withAutoShutdown(AutoShutdown.ANY_SIGNIFICANT),
            List.of(
                worker("a", Kids.Mode.TRAP),
                worker("sig").withRestart(Restart.TRANSIENT).withSignificant(true)));
    MonitorRef ref = Processes.monitor(sup.pid());
    Pid sig = pid(sup, "sig");
    kill(sig); // a crash: significant transient children are restarted
    Pid sig2 = started("sig").pid();
    assertNotEquals(sig, sig2);
    die(sig2, ExitReason.NORMAL); // ends for good
    assertEquals(ExitReason.SHUTDOWN, Kids.gotExit("a").reason());
    assertEquals(ExitReason.SHUTDOWN, Expect.down(ref).reason());
    LogCapture.errors();
  }

  @Test
  void sup17_allSignificant_shutsDownWhenTheLastOneEnds_terminateChildDoesNotCount(Node node) {
    Supervisor sup =
        start(
            node,
            SupervisorFlags.oneForOne().withAutoShutdown(AutoShutdown.ALL_SIGNIFICANT),
            List.of(
                worker("a"),
                worker("s1").withRestart(Restart.TEMPORARY).withSignificant(true),
                worker("s2").withRestart(Restart.TEMPORARY).withSignificant(true),
                worker("s3").withRestart(Restart.TRANSIENT).withSignificant(true)));
    MonitorRef ref = Processes.monitor(sup.pid());
    assertTrue(sup.terminateChild("s3")); // not an automatic shutdown trigger
    die(pid(sup, "s1"), ExitReason.other("crash")); // temporary: for good, whatever the reason
    assertTrue(sup.whereis().orElseThrow().isAlive());
    assertEquals(3, sup.countChildren().specs());
    die(pid(sup, "s2"), ExitReason.NORMAL);
    assertEquals(ExitReason.SHUTDOWN, Expect.down(ref).reason());
    LogCapture.errors();
  }

  @Test
  void sup18_strangerExit_isIgnored(Node node) {
    Supervisor sup = start(node, SupervisorFlags.oneForOne(), List.of(worker("a")));
    Pid a = pid(sup, "a");
    Pid stranger =
        Processes.spawn(
            () -> {
              Processes.link(sup.pid());
              throw Processes.exit(ExitReason.other("oops"));
            });
    Expect.down(stranger);
    assertEquals(a, pid(sup, "a"));
    assertTrue(sup.whereis().orElseThrow().isAlive());
  }

  @Test
  void sup18_callsToADeadSupervisor_failWithNoProc_andUseAnInfiniteTimeout(Node node) {
    Supervisor sup = start(node, SupervisorFlags.oneForOne(), List.of());
    sup.stop();
    var e = assertThrows(NoProcException.class, sup::whichChildren);
    assertEquals(ServerRef.INFINITY, e.timeout()); // supervisor calls never time out
    assertThrows(NoProcException.class, () -> sup.startChild(worker("x")));
    assertThrows(
        NoProcException.class, () -> Supervisor.named(node, "nobody").countChildren());
  }

  @Test
  void sup18_nameTaken_returnsAlreadyStarted(Node node) {
    Supervisor first =
        Supervisor.start(node, SupervisorFlags.oneForOne(), List.of(), StartOptions.named("sup"))
            .orElseThrow();
    OnStart<Supervisor> second =
        Supervisor.start(node, SupervisorFlags.oneForOne(), List.of(), StartOptions.named("sup"));
    assertEquals(new OnStart.AlreadyStarted<>(first.pid()), second);
    assertEquals(first.pid(), Supervisor.named(node, "sup").pid());
    assertTrue(Supervisor.named(node, "sup").whichChildren().isEmpty());
  }

  @Test
  void sup18_parentExit_supervisorExitsWithTheParentsReason(Node node) {
    Pid test = Processes.self();
    ChildSpec a = worker("a", Kids.Mode.TRAP); // made here: it reports to the test process
    Pid parent =
        Processes.spawn(
            () -> {
              Supervisor s =
                  Supervisor.startLink(SupervisorFlags.oneForOne(), List.of(a)).orElseThrow();
              Processes.send(test, s);
              Processes.receive();
              throw Processes.exit(ExitReason.other("bye"));
            });
    Supervisor sup = Expect.receive(Supervisor.class);
    started("a");
    MonitorRef ref = Processes.monitor(sup.pid());
    Processes.send(parent, "go");
    // children are always asked to stop with shutdown; the supervisor exits with the parent's reason
    assertEquals(ExitReason.SHUTDOWN, Kids.gotExit("a").reason());
    assertEquals(ExitReason.other("bye"), Expect.down(ref).reason());
    LogCapture.errors(); // a supervisor exiting with a crash-like reason is logged by GenServer
  }

  @Test
  void reports_childTerminated_oncePerCrash_withOtpFields_quietExitsNotReported(Node node) {
    Supervisor sup =
        Supervisor.start(
                node,
                SupervisorFlags.oneForOne(),
                List.of(worker("a"), worker("q")),
                StartOptions.named("top"))
            .orElseThrow();
    started("a");
    started("q");
    die(pid(sup, "q"), ExitReason.shutdown("done"));
    started("q");
    die(pid(sup, "q"), ExitReason.NORMAL);
    started("q");
    assertTrue(LogCapture.errors().isEmpty());

    die(pid(sup, "a"), ExitReason.other("boom"));
    started("a");
    pid(sup, "a"); // a call: the supervisor has finished the restart, progress report included
    var errors = LogCapture.errors();
    assertEquals(1, errors.size());
    var report = errors.get(0);
    assertEquals("top", report.get("supervisor"));
    assertEquals("child_terminated", report.get("errorContext"));
    assertEquals("a", report.get("offender"));
    assertEquals(ExitReason.other("boom"), report.get("reason"));

    var progress =
        LogCapture.matching(
            e -> e.level() == Level.DEBUG && "a".equals(e.get("started")));
    assertEquals(2, progress.size()); // the first start and the restart
  }

  /** OTP's supervisor report names the offender with {@code [{pid, Pid}, {id, Id}, ...]}. */
  @Test
  void reports_nameTheOffendersPid_asOtpsOffenderList(Node node) {
    AtomicBoolean broken = new AtomicBoolean(false);
    StartFunction good = Kids.kid("b");
    ChildSpec b =
        ChildSpec.worker(
                "b", () -> broken.get() ? new OnStart.Failed<>(ExitReason.other("no")) : good.start())
            .withRestart(Restart.TRANSIENT);
    ChildSpec stubborn =
        worker("s", Kids.Mode.STUBBORN).withShutdown(Shutdown.timeout(Kids.SHORT));
    Supervisor sup =
        Supervisor.start(
                node,
                SupervisorFlags.oneForOne().withIntensity(1, Duration.ofSeconds(60)),
                List.of(b, stubborn),
                StartOptions.named("top"))
            .orElseThrow();
    Pid b1 = started("b").pid();
    Pid s1 = started("s").pid();

    // shutdown_error: s ignores its shutdown and is killed after its timeout
    assertTrue(sup.terminateChild("s"));
    var shutdownError = only("shutdown_error");
    assertEquals(s1, shutdownError.get("pid"));
    assertEquals("s", shutdownError.get("offender"));
    assertEquals("permanent", shutdownError.get("restartType"));
    assertEquals("worker", shutdownError.get("childType"));
    assertEquals(Kids.SHORT.toMillis() + " ms", shutdownError.get("shutdown"));

    // child_terminated, then start_error for the restart that fails: both name the pid that ended
    broken.set(true);
    MonitorRef ref = Processes.monitor(sup.pid());
    die(b1, ExitReason.other("boom"));
    // the retry is the second restart within the window: past intensity 1
    assertEquals(ExitReason.SHUTDOWN, Expect.down(ref).reason());
    var terminated = only("child_terminated");
    assertEquals(b1, terminated.get("pid"));
    assertEquals("transient", terminated.get("restartType"));
    var startErrors = LogCapture.matching(e -> "start_error".equals(e.get("errorContext")));
    assertEquals(1, startErrors.size());
    assertEquals(b1, startErrors.get(0).get("pid"));
    var intensity = only("reached_max_restart_intensity");
    assertEquals(b1, intensity.get("pid"));
    assertEquals("b", intensity.get("offender"));
    LogCapture.errors();
  }

  @Test
  void reports_startErrorOfAChildThatNeverRan_namesPidUndefined(Node node) {
    var r =
        Supervisor.start(
            node,
            SupervisorFlags.oneForOne(),
            List.of(ChildSpec.worker("x", () -> new OnStart.Failed<>(ExitReason.other("no")))));
    assertInstanceOf(OnStart.Failed.class, r);
    var startError = only("start_error");
    assertEquals("undefined", startError.get("pid"));
    assertEquals("x", startError.get("offender"));
    LogCapture.errors();
  }

  private static LogCapture.Event only(String errorContext) {
    var found = LogCapture.matching(e -> errorContext.equals(e.get("errorContext")));
    assertEquals(1, found.size(), () -> errorContext + " reports: " + found);
    return found.get(0);
  }
}
