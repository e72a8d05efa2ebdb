// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.event.Level;

@ExtendWith(NodeExtension.class)
class GenServerCallbackTest {
  static final ExitReason BOOM = ExitReason.other("boom");

  /** A server that reports every cast, info and continue to the test process. */
  private static Fn recorder(Pid test) {
    return Fn.reporting(0)
        .onCast(
            (m, s) -> {
              Fn.report(test, "cast", m);
              return Next.noreply(s);
            })
        .onInfo(
            (m, s) -> {
              Fn.report(test, "info", m);
              return Next.noreply(s);
            })
        .onContinue(
            (c, s) -> {
              Fn.report(test, "continue", c);
              return Next.noreply(s);
            });
  }

  @Test
  void gs04_castToDeadPidOrUnknownName_alwaysReturns(Node node) {
    ServerRef<Object, Object> s = GenServer.start(node, Fn.server()).orElseThrow();
    s.stop();
    s.cast("hi");
    ServerRef.named(node, new ServerName<>("nobody")).cast("hi");
    TestProcs.await(
        TestProcs.onPlainThread(
            () -> {
              s.cast("hi");
              ServerRef.named(node, new ServerName<>("nobody")).cast("hi");
              return null;
            }));
  }

  @Test
  void gs04_castInfoAndContinue_reachTheirCallbacks(Node node) {
    Pid test = Processes.self();
    ServerRef<Object, Object> s = GenServer.start(node, recorder(test)).orElseThrow();
    s.cast("c1");
    s.send("i1");
    Processes.send(s.whereis().orElseThrow(), "i2");
    assertEquals(new Event("cast", "c1"), Expect.receive(Event.class));
    assertEquals(new Event("info", "i1"), Expect.receive(Event.class));
    assertEquals(new Event("info", "i2"), Expect.receive(Event.class));
  }

  @Test
  void gs04_unexpectedInfo_withoutHandleInfo_isLoggedAtWarnAndDropped(Node node) {
    Fn f = Fn.server().onCall((req, s) -> Next.reply(((Ask) req).from(), "alive", s));
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    s.send("stray");
    assertEquals("alive", s.<Object>call(from -> new Ask(from, "x")));
    List<LogCapture.Event> warns =
        LogCapture.matching(e -> e.level() == Level.WARN && e.message().contains("stray"));
    assertEquals(1, warns.size());
    assertEquals("stray", warns.get(0).get("message"));
    assertEquals(List.of(), LogCapture.errors());
  }

  @Test
  void gs04_continueWithoutHandleContinue_crashesTheServer(Node node) {
    Fn f = Fn.server().init(() -> Init.ok((Object) 0).thenContinue("c"));
    // init returned ok, so the start succeeds; the missing handleContinue crashes it right after
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    ExitReason.Crash c =
        assertInstanceOf(ExitReason.Crash.class, TestProcs.exitReasonOf(s.whereis().orElseThrow()));
    assertInstanceOf(UnsupportedOperationException.class, c.cause());
    assertEquals(1, LogCapture.errors().size());
  }

  @Test
  void gs04_castWithoutHandleCast_crashesTheServer(Node node) {
    ServerRef<Object, Object> s = GenServer.start(node, Fn.server()).orElseThrow();
    Pid pid = s.whereis().orElseThrow();
    var ref = Processes.monitor(pid);
    s.cast("unhandled");
    var c = assertInstanceOf(ExitReason.Crash.class, Expect.down(ref).reason());
    assertInstanceOf(UnsupportedOperationException.class, c.cause());
    assertEquals(1, LogCapture.errors().size());
  }

  @Test
  void gs04_stopFromCastInfoContinue_exitsWithReason_afterTerminate(Node node) {
    for (String where : List.of("cast", "info", "continue")) {
      Fn f =
          Fn.reporting("st")
              .onCast((m, s) -> Next.stop(ExitReason.shutdown(where), s))
              .onInfo((m, s) -> Next.stop(ExitReason.shutdown(where), s))
              .onContinue((m, s) -> Next.stop(ExitReason.shutdown(where), s));
      if (where.equals("continue")) {
        f.init(() -> Init.ok((Object) "st").thenContinue("go"));
      }
      ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
      Pid pid = s.whereis().orElseThrow();
      switch (where) {
        case "cast" -> s.cast("stop");
        case "info" -> s.send("stop");
        default -> {}
      }
      assertEquals(
          new Terminated(ExitReason.shutdown(where), "st"), Expect.receive(Terminated.class));
      assertEquals(ExitReason.shutdown(where), TestProcs.exitReasonOf(pid));
    }
    assertEquals(List.of(), LogCapture.errors(), "shutdown reasons are quiet");
  }

  @Test
  void gs05_continueRunsBeforeQueuedMessage_andChains(Node node) {
    Pid test = Processes.self();
    Fn f =
        recorder(test)
            .init(
                () -> {
                  Processes.send(Processes.self(), "queued_msg");
                  return Init.ok((Object) 0).thenContinue("c1");
                })
            .onContinue(
                (c, s) -> {
                  Fn.report(test, "continue", c);
                  return c.equals("c1") ? Next.noreply(s).thenContinue("c2") : Next.noreply(s);
                });
    GenServer.start(node, f).orElseThrow();
    assertEquals(new Event("continue", "c1"), Expect.receive(Event.class));
    assertEquals(new Event("continue", "c2"), Expect.receive(Event.class));
    assertEquals(new Event("info", "queued_msg"), Expect.receive(Event.class));
  }

  @Test
  void gs05_continueFromCast_runsBeforeTheNextQueuedCast(Node node) {
    Pid test = Processes.self();
    Fn f =
        recorder(test)
            .onCast(
                (m, s) -> {
                  Fn.report(test, "cast", m);
                  if (m.equals("a")) {
                    // make sure "b" is already queued
                    Await.until("b is queued", () -> !Processes.mailbox().isEmpty());
                    return Next.noreply(s).thenContinue("after-a");
                  }
                  return Next.noreply(s);
                });
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    s.cast("a");
    s.cast("b");
    assertEquals(new Event("cast", "a"), Expect.receive(Event.class));
    assertEquals(new Event("continue", "after-a"), Expect.receive(Event.class));
    assertEquals(new Event("cast", "b"), Expect.receive(Event.class));
  }

  @Test
  void gs06_replyWithTimeout_idleTimeoutRunsOnce(Node node) {
    Pid test = Processes.self();
    Fn f =
        recorder(test)
            .onCall(
                (req, s) ->
                    Next.reply(((Ask) req).from(), "ok", s).withTimeout(Duration.ofMillis(50)));
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    assertEquals("ok", s.<Object>call(from -> new Ask(from, "x")));
    assertEquals(new Event("info", IdleTimeout.INSTANCE), Expect.receive(Event.class));
    Expect.noMessage(Duration.ofMillis(150));
  }

  @Test
  void gs06_messageBeforeTimeout_cancelsIt(Node node) {
    Pid test = Processes.self();
    Fn f =
        recorder(test)
            .onCall(
                (req, s) ->
                    Next.reply(((Ask) req).from(), "ok", s).withTimeout(Duration.ofMillis(200)));
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    assertEquals("ok", s.<Object>call(from -> new Ask(from, "x")));
    s.send("hello");
    assertEquals(new Event("info", "hello"), Expect.receive(Event.class));
    Expect.noMessage(Duration.ofMillis(400));
  }

  @Test
  void gs06_zeroTimeout_doesNotFireWhenAMessageIsWaiting(Node node) {
    Pid test = Processes.self();
    Fn f =
        recorder(test)
            .onCast(
                (m, s) -> {
                  Fn.report(test, "cast", m);
                  if (m.equals("first")) {
                    Await.until("second is queued", () -> !Processes.mailbox().isEmpty());
                    return Next.noreply(s).withTimeout(Duration.ZERO);
                  }
                  return Next.noreply(s);
                });
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    s.cast("first");
    s.cast("second");
    assertEquals(new Event("cast", "first"), Expect.receive(Event.class));
    assertEquals(new Event("cast", "second"), Expect.receive(Event.class));
    Expect.noMessage(Duration.ofMillis(50));
  }

  @Test
  void gs06_initWithTimeout_andZeroWithEmptyMailbox_fire(Node node) {
    Pid test = Processes.self();
    Fn f =
        recorder(test)
            .init(() -> Init.ok((Object) 0).withTimeout(Duration.ofMillis(10)))
            .onInfo(
                (m, s) -> {
                  Fn.report(test, "info", m);
                  int n = (Integer) s + 1;
                  return n < 3
                      ? Next.noreply((Object) n).withTimeout(Duration.ZERO)
                      : Next.noreply(n);
                });
    GenServer.start(node, f).orElseThrow();
    for (int i = 0; i < 3; i++) {
      assertEquals(new Event("info", IdleTimeout.INSTANCE), Expect.receive(Event.class));
    }
    Expect.noMessage(Duration.ofMillis(50));
  }

  @Test
  void gs07_hibernate_keepsStateAndHandlesNextMessage(Node node) {
    Fn f =
        Fn.server()
            .init(() -> Init.ok((Object) "s1").hibernate())
            .onCall(
                (req, s) -> {
                  Ask a = (Ask) req;
                  return a.what().equals("set")
                      ? Next.reply(a.from(), s, (Object) "s2").hibernate()
                      : Next.reply(a.from(), s, s);
                })
            .onCast((m, s) -> Next.noreply(s).hibernate());
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    assertEquals("s1", s.<Object>call(from -> new Ask(from, "set")));
    s.cast("nap");
    assertEquals("s2", s.<Object>call(from -> new Ask(from, "get")));
  }
}
