// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.Down;
import dev.coppice.core.Exit;
import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.TestProcs;
import dev.coppice.core.genserver.Fn.Ask;
import dev.coppice.core.genserver.Fn.Terminated;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.NodeExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NodeExtension.class)
class GenServerStartTest {
  static final ExitReason BAD_THING = ExitReason.other("bad_thing");

  @Test
  void gs01_start_returnsOnlyAfterInitReturned(Node node) {
    AtomicBoolean initDone = new AtomicBoolean();
    OnStart<ServerRef<Object, Object>> r =
        GenServer.start(
            node,
            Fn.server()
                .init(
                    () -> {
                      Fn.work(50);
                      initDone.set(true);
                      return Init.ok(0);
                    }));
    assertTrue(initDone.get());
    assertInstanceOf(OnStart.Ok.class, r);
    assertTrue(r.orElseThrow().whereis().orElseThrow().isAlive());
  }

  @Test
  void gs01_startLink_linksTheCaller_asParent(Node node) {
    Pid test = Processes.self();
    Pid parent =
        node.spawn(
            () -> {
              ServerRef<Object, Object> s = GenServer.startLink(Fn.server()).orElseThrow();
              Processes.send(test, s.whereis().orElseThrow());
              Processes.receive(String.class);
              throw Processes.exit(BAD_THING);
            });
    Pid server = Expect.receive(Pid.class);
    var ref = Processes.monitor(server);
    Processes.send(parent, "die");
    assertEquals(BAD_THING, Expect.down(ref).reason(), "the server is linked to its parent");

    // and the other way round: a trapping parent gets Exit when its server ends
    Processes.trapExits(true);
    ServerRef<Object, Object> mine = GenServer.startLink(Fn.server()).orElseThrow();
    Pid mp = mine.whereis().orElseThrow();
    Processes.exit(mp, ExitReason.KILL);
    assertEquals(new Exit(mp, ExitReason.KILLED), Expect.receive(Exit.class));
  }

  @Test
  void gs01_nameTaken_givesAlreadyStarted(Node node) {
    ServerRef<Object, Object> first =
        GenServer.start(node, Fn.server(), StartOptions.named("svc")).orElseThrow();
    int before = node.processCount();
    OnStart<ServerRef<Object, Object>> second =
        GenServer.start(node, Fn.server(), StartOptions.named("svc"));
    assertEquals(new OnStart.AlreadyStarted<>(first.whereis().orElseThrow()), second);
    assertEquals(before, node.processCount(), "the second server is gone");
    StartFailedException e = assertThrows(StartFailedException.class, second::orElseThrow);
    assertTrue(e.getMessage().contains("already_started"), e.getMessage());
  }

  @Test
  void gs01_initSlowerThanTimeout_failsWithTimeout_andServerIsKilled(Node node) {
    AtomicBoolean initReturned = new AtomicBoolean();
    OnStart<ServerRef<Object, Object>> r =
        GenServer.start(
            node,
            Fn.server()
                .init(
                    () -> {
                      Fn.work(500);
                      initReturned.set(true);
                      return Init.ok(0);
                    }),
            StartOptions.named("slow").withTimeout(Duration.ofMillis(100)));
    assertEquals(new OnStart.Failed<>(ExitReason.other("timeout")), r);
    assertEquals(Optional.empty(), node.whereis("slow"), "killed, so its name is free");
    assertEquals(1, node.processCount(), "only the test process is left");
    assertTrue(node.awaitThreads(Duration.ofSeconds(10)));
    assertFalse(initReturned.get(), "the kill interrupted init");
  }

  @Test
  void gs01_startLinkTimeout_doesNotKillTheCaller(Node node) {
    Pid test = Processes.self();
    Pid caller =
        node.spawn(
            () -> {
              OnStart<ServerRef<Object, Object>> r =
                  GenServer.startLink(
                      Fn.server()
                          .init(
                              () -> {
                                Fn.work(500);
                                return Init.ok(0);
                              }),
                      StartOptions.DEFAULTS.withTimeout(Duration.ofMillis(50)));
              Processes.send(test, r);
              Processes.send(test, Processes.mailbox());
            });
    assertEquals(new OnStart.Failed<>(ExitReason.other("timeout")), Expect.receive(OnStart.class));
    assertEquals(List.of(), Expect.receive(List.class));
    assertEquals(
        ExitReason.NORMAL, TestProcs.exitReasonOf(caller), "the caller was unlinked first");
  }

  @Test
  void gs02_initOkVariants_startSucceeds(Node node) {
    List<Supplier<Init<Object>>> oks =
        List.of(
            () -> Init.ok((Object) 1),
            () -> Init.ok((Object) 1).withTimeout(Duration.ofSeconds(30)),
            () -> Init.ok((Object) 1).hibernate(),
            () -> Init.ok((Object) 1).thenContinue("c"));
    for (Supplier<Init<Object>> ok : oks) {
      Fn f =
          Fn.server()
              .init(ok::get)
              .onContinue((arg, s) -> Next.noreply(s))
              .onCall((req, s) -> Next.reply(((Ask) req).from(), s, s));
      ServerRef<Object, Object> ref = GenServer.start(node, f).orElseThrow();
      assertEquals(1, ref.<Object>call(from -> new Ask(from, "get")));
      ref.stop();
    }
  }

  @Test
  void gs02_initIgnore_returnsIgnore_serverExitsNormal(Node node) {
    Pid test = Processes.self();
    OnStart<ServerRef<Object, Object>> r =
        GenServer.start(
            node,
            Fn.server()
                .events(test)
                .init(
                    () -> {
                      Processes.send(test, Processes.self());
                      return Init.ignore();
                    }));
    assertEquals(new OnStart.Ignore<>(), r);
    Pid server = Expect.receive(Pid.class);
    assertEquals(Optional.of(ExitReason.NORMAL), server.exitReason(), "gone when start returns");
    assertNull(Processes.receive(Terminated.class, t -> true, Duration.ZERO), "no terminate");
  }

  @Test
  void gs02_initStop_failsWithReason_serverExitsWithIt(Node node) {
    Pid test = Processes.self();
    OnStart<ServerRef<Object, Object>> r =
        GenServer.start(
            node,
            Fn.server()
                .events(test)
                .init(
                    () -> {
                      Processes.send(test, Processes.self());
                      return Init.stop(BAD_THING);
                    }));
    assertEquals(new OnStart.Failed<>(BAD_THING), r);
    assertEquals(Optional.of(BAD_THING), Expect.receive(Pid.class).exitReason());
    assertEquals(1, LogCapture.errors().size(), "one report for a failed init");
    assertNull(Processes.receive(Terminated.class, t -> true, Duration.ZERO), "no terminate");
  }

  @Test
  void gs02_initError_failsWithReason_serverExitsNormal(Node node) {
    Pid test = Processes.self();
    OnStart<ServerRef<Object, Object>> r =
        GenServer.start(
            node,
            Fn.server()
                .events(test)
                .init(
                    () -> {
                      Processes.send(test, Processes.self());
                      return Init.error(BAD_THING);
                    }));
    assertEquals(new OnStart.Failed<>(BAD_THING), r);
    assertEquals(Optional.of(ExitReason.NORMAL), Expect.receive(Pid.class).exitReason());
    assertEquals(List.of(), LogCapture.errors());
  }

  @Test
  void gs02_initBadReturn_failsWithBadReturnValue(Node node) {
    OnStart<ServerRef<Object, Object>> r =
        GenServer.start(node, Fn.server().events(Processes.self()).init(() -> null));
    assertEquals(new OnStart.Failed<>(ExitReason.other(new BadReturnValue("init", null))), r);
    assertEquals(1, LogCapture.errors().size());
    assertNull(Processes.receive(Terminated.class, t -> true, Duration.ZERO), "no terminate");
  }

  @Test
  void gs02_initRaises_failsWithCrash(Node node) {
    RuntimeException boom = new IllegalStateException("boom");
    OnStart<ServerRef<Object, Object>> r =
        GenServer.start(
            node,
            Fn.server()
                .events(Processes.self())
                .init(
                    () -> {
                      throw boom;
                    }));
    ExitReason.Crash c =
        assertInstanceOf(
            ExitReason.Crash.class, assertInstanceOf(OnStart.Failed.class, r).reason());
    assertSame(boom, c.cause());

    IOException io = new IOException("disk");
    OnStart<ServerRef<Object, Object>> r2 =
        GenServer.start(
            node,
            Fn.server()
                .init(
                    () -> {
                      throw io;
                    }));
    assertEquals(new OnStart.Failed<>(ExitReason.crash(io)), r2);
    StartFailedException e = assertThrows(StartFailedException.class, r2::orElseThrow);
    assertSame(io, e.getCause());
    assertEquals(2, LogCapture.errors().size(), "one report per failed start");
    assertNull(Processes.receive(Terminated.class, t -> true, Duration.ZERO), "no terminate");
  }

  @Test
  void gs02_failedStart_releasesNameBeforeReturning(Node node) {
    List<Fn.InitFn> failing =
        List.of(
            () -> Init.stop(BAD_THING),
            Init::ignore,
            () -> Init.error(BAD_THING),
            () -> null,
            () -> {
              throw new IllegalStateException("boom");
            });
    for (Fn.InitFn init : failing) {
      OnStart<ServerRef<Object, Object>> r =
          GenServer.start(node, Fn.server().init(init), StartOptions.named("svc"));
      assertFalse(r instanceof OnStart.Ok, "fails: " + r);
      // an immediate retry must not see already_started
      ServerRef<Object, Object> retry =
          GenServer.start(node, Fn.server(), StartOptions.named("svc")).orElseThrow();
      retry.stop();
    }
    LogCapture.errors();
  }

  @Test
  void gs02_startLinkInitStop_killsNonTrappingCaller(Node node) {
    Pid test = Processes.self();
    Pid caller =
        node.spawn(
            () -> {
              OnStart<ServerRef<Object, Object>> r =
                  GenServer.startLink(Fn.server().init(() -> Init.stop(BAD_THING)));
              Processes.send(test, "survived with " + r);
            });
    assertEquals(BAD_THING, TestProcs.exitReasonOf(caller));
    Expect.noMessage(Duration.ofMillis(20));
    assertEquals(1, LogCapture.errors().size(), "the server's report only; the caller was killed");
  }

  @Test
  void gs02_startLinkInitIgnore_callerSurvives(Node node) {
    Pid test = Processes.self();
    Pid caller =
        node.spawn(
            () -> {
              OnStart<ServerRef<Object, Object>> r =
                  GenServer.startLink(Fn.server().init(Init::ignore));
              Processes.send(test, r);
            });
    assertEquals(new OnStart.Ignore<>(), Expect.receive(OnStart.class));
    assertEquals(ExitReason.NORMAL, TestProcs.exitReasonOf(caller));
  }

  @Test
  void gs02_startLinkInitStop_trappingCaller_getsFailure_andExitIsConsumed(Node node) {
    Processes.trapExits(true);
    OnStart<ServerRef<Object, Object>> r =
        GenServer.startLink(Fn.server().init(() -> Init.stop(BAD_THING)));
    assertEquals(new OnStart.Failed<>(BAD_THING), r);
    assertEquals(List.of(), Processes.mailbox(), "the failed start's Exit was consumed");
    assertTrue(Processes.self().isAlive());
    LogCapture.errors();

    OnStart<ServerRef<Object, Object>> r2 = GenServer.startLink(Fn.server().init(Init::ignore));
    assertEquals(new OnStart.Ignore<>(), r2);
    assertEquals(List.of(), Processes.mailbox());
  }

  @Test
  void gs12_nameRegisteredBeforeInit_releasedOnDeath_callByNameIsNoproc(Node node) {
    Pid test = Processes.self();
    Fn f =
        Fn.server()
            .init(
                () -> {
                  Processes.send(
                      test, Processes.whereis("named").equals(Optional.of(Processes.self())));
                  return Init.ok(0);
                })
            .onCall(
                (req, s) -> {
                  throw new IllegalStateException("crash");
                });
    ServerRef<Object, Object> byPid =
        GenServer.start(node, f, StartOptions.named("named")).orElseThrow();
    assertEquals(Boolean.TRUE, Expect.receive(Boolean.class), "registered before init ran");
    ServerRef<Object, Object> byName = ServerRef.named(node, new ServerName<>("named"));
    assertEquals(byPid.whereis(), byName.whereis());
    assertEquals(Optional.of("named"), byName.name());

    Pid pid = byPid.whereis().orElseThrow();
    var ref = Processes.monitor(pid);
    assertThrows(ServerExitedException.class, () -> byName.call(from -> new Ask(from, "x")));
    Down d = Expect.down(ref);
    assertInstanceOf(ExitReason.Crash.class, d.reason());
    assertEquals(Optional.empty(), node.whereis("named"));
    NoProcException e =
        assertThrows(NoProcException.class, () -> byName.call(from -> new Ask(from, "x")));
    assertEquals("named", e.server());
    byName.cast("dropped"); // no error
    assertEquals(1, LogCapture.errors().size());
  }

  @Test
  void gs12_namedRef_followsTheNameAcrossRestarts(Node node) {
    Fn.Handler echo = (req, s) -> Next.reply(((Ask) req).from(), s, s);
    ServerRef<Object, Object> byName = ServerRef.named(node, new ServerName<>("svc"));
    GenServer.start(
            node, Fn.server().init(() -> Init.ok("one")).onCall(echo), StartOptions.named("svc"))
        .orElseThrow()
        .stop();
    GenServer.start(
            node, Fn.server().init(() -> Init.ok("two")).onCall(echo), StartOptions.named("svc"))
        .orElseThrow();
    assertEquals("two", byName.<Object>call(from -> new Ask(from, "get")));
  }

  @Test
  void startFromPlainThread_works(Node node) {
    ServerRef<Object, Object> s =
        TestProcs.await(
            TestProcs.onPlainThread(
                () -> GenServer.start(node, Fn.server().init(() -> Init.ok(5))).orElseThrow()));
    assertTrue(s.whereis().orElseThrow().isAlive());
    s.stop();
  }
}
