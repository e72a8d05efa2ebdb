// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.Exit;
import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.TestProcs;
import dev.coppice.core.genserver.Fn.Ask;
import dev.coppice.core.genserver.Fn.Event;
import dev.coppice.core.genserver.Fn.Terminated;
import dev.coppice.testkit.Await;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NodeExtension.class)
class GenServerTerminateTest {
  static final ExitReason BOOM = ExitReason.other("boom");

  @Test
  void gs09_badReturnInCall_terminateSeesIt_callerAndLinksGetIt(Node node) {
    Processes.trapExits(true);
    Fn f = Fn.reporting(0).onCast((m, s) -> Next.noreply((Integer) s + 1)).onCall((req, s) -> null);
    ServerRef<Object, Object> s = GenServer.startLink(f).orElseThrow();
    Pid pid = s.whereis().orElseThrow();
    s.cast("inc");
    s.cast("inc");
    ExitReason bad = ExitReason.other(new BadReturnValue("handleCall", null));
    ServerExitedException e =
        assertThrows(ServerExitedException.class, () -> s.call(from -> new Ask(from, "x")));
    assertEquals(bad, e.reason());
    assertEquals(new Terminated(bad, 2), Expect.receive(Terminated.class), "last good state");
    assertEquals(new Exit(pid, bad), Expect.receive(Exit.class));
    assertEquals(1, LogCapture.errors().size());
  }

  @Test
  void gs09_exceptionInCallback_terminateGetsCrashWithLastGoodState(Node node) {
    RuntimeException boom = new IllegalArgumentException("boom");
    Fn f =
        Fn.reporting("good")
            .onCast(
                (m, s) -> {
                  throw boom;
                });
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    var ref = Processes.monitor(s.whereis().orElseThrow());
    s.cast("x");
    Terminated t = Expect.receive(Terminated.class);
    assertEquals(new Terminated(ExitReason.crash(boom), "good"), t);
    assertSame(boom, ((ExitReason.Crash) Expect.down(ref).reason()).cause());
    assertEquals(1, LogCapture.errors().size());
  }

  @Test
  void gs09_terminateThatThrows_replacesTheReason_reportedOnce(Node node) {
    RuntimeException late = new IllegalStateException("terminate failed");
    Fn f =
        new Fn() {
          @Override
          public void terminate(ExitReason reason, Object state) {
            throw late;
          }
        }.onCast((m, s) -> Next.stop(ExitReason.NORMAL, s));
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    var ref = Processes.monitor(s.whereis().orElseThrow());
    s.cast("stop");
    assertEquals(ExitReason.crash(late), Expect.down(ref).reason());
    assertEquals(1, LogCapture.errors().size());
  }

  @Test
  void gs10_parentExitWhileTrapping_terminateRunsAfterQueuedMessages(Node node) {
    Pid test = Processes.self();
    Fn f =
        Fn.reporting(0)
            .init(
                () -> {
                  Processes.trapExits(true);
                  return Init.ok(0);
                })
            .onCast(
                (m, s) -> {
                  Fn.work(30);
                  Fn.report(test, "processed", m);
                  return Next.noreply(s);
                });
    Pid parent =
        node.spawn(
            () -> {
              ServerRef<Object, Object> s = GenServer.startLink(f).orElseThrow();
              Processes.send(test, s.whereis().orElseThrow());
              s.cast(1);
              s.cast(2);
              s.cast(3);
              throw Processes.exit(ExitReason.other("bye"));
            });
    Pid server = Expect.receive(Pid.class);
    var ref = Processes.monitor(server);
    Expect.down(parent);
    assertEquals(new Event("processed", 1), Expect.next());
    assertEquals(new Event("processed", 2), Expect.next());
    assertEquals(new Event("processed", 3), Expect.next());
    assertEquals(new Terminated(ExitReason.other("bye"), 0), Expect.next());
    assertEquals(ExitReason.other("bye"), Expect.down(ref).reason());
    assertEquals(1, LogCapture.errors().size(), "bye is not a quiet reason");
  }

  @Test
  void gs10_parentExitNormalWhileTrapping_runsTerminateWithNormal(Node node) {
    Pid test = Processes.self();
    Fn f =
        Fn.reporting(0)
            .init(
                () -> {
                  Processes.trapExits(true);
                  return Init.ok(0);
                });
    Pid parent =
        node.spawn(
            () ->
                Processes.send(test, GenServer.startLink(f).orElseThrow().whereis().orElseThrow()));
    Pid server = Expect.receive(Pid.class);
    Expect.down(parent);
    assertEquals(new Terminated(ExitReason.NORMAL, 0), Expect.receive(Terminated.class));
    assertEquals(ExitReason.NORMAL, TestProcs.exitReasonOf(server));
    assertEquals(List.of(), LogCapture.errors());
  }

  @Test
  void gs10_parentExitNotTrapping_diesAtOnceWithoutTerminate(Node node) {
    Pid test = Processes.self();
    Fn f = Fn.reporting(0);
    Pid parent =
        node.spawn(
            () -> {
              ServerRef<Object, Object> s = GenServer.startLink(f).orElseThrow();
              Processes.send(test, s.whereis().orElseThrow());
              Processes.receive(String.class);
              throw Processes.exit(ExitReason.other("parent_died"));
            });
    Pid server = Expect.receive(Pid.class);
    var ref = Processes.monitor(server);
    Processes.send(parent, "go");
    assertEquals(ExitReason.other("parent_died"), Expect.down(ref).reason());
    assertNull(Processes.receive(Terminated.class, t -> true, Duration.ofMillis(20)));
    assertEquals(List.of(), LogCapture.errors(), "killed by a signal: no crash report");
  }

  @Test
  void gs10_kill_neverRunsTerminate_evenWhenTrapping(Node node) {
    Fn f =
        Fn.reporting(0)
            .init(
                () -> {
                  Processes.trapExits(true);
                  return Init.ok(0);
                });
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    Pid pid = s.whereis().orElseThrow();
    var ref = Processes.monitor(pid);
    Processes.exit(pid, ExitReason.KILL);
    assertEquals(ExitReason.KILLED, Expect.down(ref).reason());
    assertNull(Processes.receive(Terminated.class, t -> true, Duration.ofMillis(20)));
  }

  @Test
  void gs10_killedInsideCallback_neverRunsTerminate_orMoreCallbacks(Node node) {
    Pid test = Processes.self();
    for (String how : List.of("stop", "continue")) {
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Fn f =
          Fn.reporting(0)
              .onCast(
                  (m, s) -> {
                    inside.countDown();
                    try {
                      release.await();
                    } catch (InterruptedException e) {
                      // the kill's interrupt: ignore it and return a result anyway
                    }
                    return m.equals("stop")
                        ? Next.stop(BOOM, s)
                        : Next.noreply(s).thenContinue("c");
                  })
              .onContinue(
                  (c, s) -> {
                    Fn.report(test, "continue", c);
                    return Next.noreply(s);
                  });
      ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
      Pid pid = s.whereis().orElseThrow();
      var ref = Processes.monitor(pid);
      s.cast(how);
      try {
        assertTrue(inside.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      Processes.exit(pid, ExitReason.KILL);
      assertEquals(ExitReason.KILLED, Expect.down(ref).reason());
      release.countDown();
      Await.until("server thread ends", () -> node.liveThreads().isEmpty());
      assertNull(Processes.receive(Duration.ofMillis(20)), how + ": a dead server ran a callback");
    }
    assertEquals(List.of(), LogCapture.errors());
  }

  @Test
  void gs10_exitFromNonParent_goesToHandleInfo_whenTrapping(Node node) {
    Pid test = Processes.self();
    Fn f =
        Fn.reporting(0)
            .init(
                () -> {
                  Processes.trapExits(true);
                  return Init.ok(0);
                })
            .onInfo(
                (m, s) -> {
                  Fn.report(test, "info", m);
                  return Next.noreply(s);
                });
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    Pid pid = s.whereis().orElseThrow();
    Processes.exit(pid, BOOM);
    assertEquals(new Event("info", new Exit(test, BOOM)), Expect.receive(Event.class));
    assertTrue(pid.isAlive());
  }

  @Test
  void gs10_normalSignal_ignoredWhenNotTrapping_otherKillsWithoutTerminate(Node node) {
    ServerRef<Object, Object> s = GenServer.start(node, Fn.reporting(0)).orElseThrow();
    Pid pid = s.whereis().orElseThrow();
    Processes.exit(pid, ExitReason.NORMAL);
    assertTrue(pid.isAlive());
    Processes.exit(pid, BOOM);
    assertEquals(BOOM, TestProcs.exitReasonOf(pid));
    assertNull(Processes.receive(Terminated.class, t -> true, Duration.ofMillis(20)));
  }

  @Test
  void gs11_stop_runsTerminate_returnsWhenExited_secondStopIsNoproc(Node node) {
    ServerRef<Object, Object> s = GenServer.start(node, Fn.reporting("st")).orElseThrow();
    Pid pid = s.whereis().orElseThrow();
    s.stop();
    assertFalse(pid.isAlive(), "stop returns once the server has exited");
    assertEquals(
        new Terminated(ExitReason.NORMAL, "st"),
        Processes.receive(Terminated.class, t -> true, Duration.ZERO),
        "terminate ran before stop returned");
    NoProcException e = assertThrows(NoProcException.class, s::stop);
    assertEquals(pid, e.server());
    assertEquals(List.of(), LogCapture.errors());
  }

  @Test
  void gs11_stopWithReason_evenWhenNotTrapping(Node node) {
    ServerRef<Object, Object> s = GenServer.start(node, Fn.reporting("st")).orElseThrow();
    s.stop(ExitReason.shutdown("maintenance"), Duration.ofSeconds(5));
    assertEquals(
        new Terminated(ExitReason.shutdown("maintenance"), "st"), Expect.receive(Terminated.class));
    assertEquals(
        ExitReason.shutdown("maintenance"), s.whereis().orElseThrow().exitReason().orElseThrow());
  }

  @Test
  void gs11_stopPastTimeout_throwsTimeout_serverKeepsGoing(Node node) {
    Fn f =
        new Fn() {
          @Override
          public void terminate(ExitReason reason, Object state) {
            Fn.work(300);
            super.terminate(reason, state);
          }
        }.events(Processes.self());
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    Pid pid = s.whereis().orElseThrow();
    CallTimeoutException e =
        assertThrows(
            CallTimeoutException.class, () -> s.stop(ExitReason.NORMAL, Duration.ofMillis(50)));
    assertEquals(Duration.ofMillis(50), e.timeout());
    assertEquals(new Terminated(ExitReason.NORMAL, null), Expect.receive(Terminated.class));
    assertEquals(ExitReason.NORMAL, TestProcs.exitReasonOf(pid));
  }

  @Test
  void gs11_stopWhenTerminateThrows_reportsTheOtherReason(Node node) {
    RuntimeException oops = new IllegalStateException("oops");
    Fn f =
        new Fn() {
          @Override
          public void terminate(ExitReason reason, Object state) {
            throw oops;
          }
        };
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    ServerExitedException e = assertThrows(ServerExitedException.class, s::stop);
    assertEquals(ExitReason.crash(oops), e.reason());
    assertEquals(1, LogCapture.errors().size());
  }

  @Test
  void gs13_quietReasons_noErrorLog(Node node) {
    for (ExitReason quiet :
        List.of(ExitReason.NORMAL, ExitReason.SHUTDOWN, ExitReason.shutdown("bye"))) {
      ServerRef<Object, Object> s =
          GenServer.start(node, Fn.server().onCast((m, st) -> Next.stop(quiet, st))).orElseThrow();
      Pid pid = s.whereis().orElseThrow();
      var ref = Processes.monitor(pid);
      s.cast("stop");
      assertEquals(quiet, Expect.down(ref).reason());
      ServerRef<Object, Object> s2 = GenServer.start(node, Fn.server()).orElseThrow();
      s2.stop(quiet, Duration.ofSeconds(5));
    }
    assertEquals(List.of(), LogCapture.errors());
  }

  @Test
  void gs13_crash_exactlyOneErrorReport_withServerLastMessageAndReason(Node node) {
    ServerRef<Object, Object> s =
        GenServer.start(
                node,
                Fn.server().onCast((m, st) -> Next.stop(BOOM, st)),
                StartOptions.named("reporter"))
            .orElseThrow();
    Pid pid = s.whereis().orElseThrow();
    var ref = Processes.monitor(pid);
    s.cast("the-last-one");
    assertEquals(BOOM, Expect.down(ref).reason());
    List<LogCapture.Event> errors = LogCapture.errors();
    assertEquals(1, errors.size(), "exactly one report: " + errors);
    LogCapture.Event e = errors.get(0);
    assertEquals("reporter", e.get("server"));
    assertTrue(String.valueOf(e.get("lastMessage")).contains("the-last-one"), e.toString());
    assertEquals(BOOM, e.get("reason"));
  }

  @Test
  void gs13_exceptionCrash_exactlyOneErrorReport_withCause(Node node) {
    RuntimeException boom = new IllegalStateException("boom");
    ServerRef<Object, Object> s =
        GenServer.start(
                node,
                Fn.server()
                    .onCall(
                        (req, st) -> {
                          throw boom;
                        }))
            .orElseThrow();
    Pid pid = s.whereis().orElseThrow();
    ServerExitedException x =
        assertThrows(ServerExitedException.class, () -> s.call(from -> new Ask(from, "q")));
    assertSame(boom, x.getCause());
    Expect.down(pid);
    List<LogCapture.Event> errors = LogCapture.errors();
    assertEquals(1, errors.size(), "exactly one report: " + errors);
    LogCapture.Event e = errors.get(0);
    assertEquals(pid, e.get("server"));
    assertSame(boom, e.cause());
    assertEquals(ExitReason.crash(boom), e.get("reason"));
    assertTrue(String.valueOf(e.get("lastMessage")).contains("Ask"), e.toString());
    assertInstanceOf(String.class, e.mdc().get("pid"));
  }
}
