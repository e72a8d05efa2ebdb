// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.ProcessExitedException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NodeExtension.class)
class GenServerCallTest {
  static final ExitReason BOOM = ExitReason.other("boom");

  private static Object ask(ServerRef<Object, Object> s, Object what) {
    return s.call(from -> new Ask(from, what));
  }

  private static Object ask(ServerRef<Object, Object> s, Object what, Duration timeout) {
    return s.call(from -> new Ask(from, what), timeout);
  }

  @Test
  void gs03_stopReply_repliesAfterTerminateRan(Node node) {
    Fn f =
        Fn.reporting("s")
            .onCall(
                (req, s) -> Next.stopReply(ExitReason.NORMAL, ((Ask) req).from(), "replied", s));
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    Pid pid = s.whereis().orElseThrow();
    assertEquals("replied", ask(s, "stop"));
    // terminate's message is already queued when the call returns
    assertEquals(
        new Terminated(ExitReason.NORMAL, "s"),
        Processes.receive(Terminated.class, t -> true, Duration.ZERO));
    assertEquals(ExitReason.NORMAL, TestProcs.exitReasonOf(pid));
    assertEquals(List.of(), LogCapture.errors());
  }

  @Test
  void gs03_replyVariants_keepLooping(Node node) {
    Fn f =
        Fn.server()
            .init(() -> Init.ok(0))
            .onCall(
                (req, s) -> {
                  Ask a = (Ask) req;
                  Object n = (Integer) s + 1;
                  return switch ((String) a.what()) {
                    case "plain" -> Next.reply(a.from(), n, n);
                    case "timeout" ->
                        Next.reply(a.from(), n, n).withTimeout(Duration.ofSeconds(30));
                    case "hibernate" -> Next.reply(a.from(), n, n).hibernate();
                    default -> Next.reply(a.from(), n, n).thenContinue("c");
                  };
                })
            .onContinue((arg, s) -> Next.noreply((Integer) s + 100));
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    assertEquals(1, ask(s, "plain"));
    assertEquals(2, ask(s, "timeout"));
    assertEquals(3, ask(s, "hibernate"));
    assertEquals(4, ask(s, "continue"));
    assertEquals(105, ask(s, "plain"), "the continue ran before the next call");
  }

  @Test
  void gs03_noreply_thenDeferredReply_fromAnotherCallback_orProcess(Node node) {
    Pid test = Processes.self();
    Fn f =
        Fn.server()
            .init(() -> Init.ok(null))
            .onCall(
                (req, s) -> {
                  Ask a = (Ask) req;
                  if (a.what().equals("later")) {
                    Fn.report(test, "holding", a.what());
                    return Next.noreply(a.from()); // keep the From, answer on the next cast
                  }
                  From<Object> from = a.from();
                  Processes.spawn(() -> from.reply("from a helper process"));
                  return Next.noreply(s);
                })
            .onCast(
                (msg, s) -> {
                  @SuppressWarnings("unchecked")
                  From<Object> pending = (From<Object>) s;
                  boolean wasPending = pending.isPending();
                  boolean first = pending.reply("deferred " + msg);
                  boolean second = pending.reply("twice");
                  Fn.report(
                      test, "replied", List.of(wasPending, first, second, pending.isPending()));
                  return Next.noreply(null);
                });
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    CompletableFuture<Object> pending = TestProcs.onPlainThread(() -> ask(s, "later"));
    Expect.receive(Event.class, e -> e.what().equals("holding"));
    assertFalse(pending.isDone());
    s.cast("hello");
    assertEquals("deferred hello", TestProcs.await(pending));
    assertEquals(
        new Event("replied", List.of(true, true, false, false)),
        Expect.receive(Event.class),
        "pending until the first reply, which wins");
    assertEquals("from a helper process", ask(s, "helper"));
  }

  @Test
  void gs03_stopWithoutReply_callerGetsServerExited_evenForNormal(Node node) {
    Fn f = Fn.reporting("s").onCall((req, s) -> Next.stop(ExitReason.NORMAL, s));
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    ServerExitedException e = assertThrows(ServerExitedException.class, () -> ask(s, "stop"));
    assertEquals(ExitReason.NORMAL, e.reason());
    assertEquals(new Terminated(ExitReason.NORMAL, "s"), Expect.receive(Terminated.class));
  }

  @Test
  void gs08_callTimeout_lateReplyNeverArrives(Node node) {
    Pid test = Processes.self();
    Fn f =
        Fn.server()
            .onCall(
                (req, s) -> {
                  Fn.work(300);
                  boolean delivered = ((Ask) req).from().reply("late");
                  Fn.report(test, "replied", delivered);
                  return Next.noreply(s);
                });
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    Pid pid = s.whereis().orElseThrow();
    Ask[] sent = new Ask[1];
    CallTimeoutException e =
        assertThrows(
            CallTimeoutException.class,
            () ->
                s.call(
                    from -> {
                      sent[0] = new Ask(from, "slow");
                      return sent[0];
                    },
                    Duration.ofMillis(100)));
    assertEquals(pid, e.server());
    assertSame(sent[0], e.request());
    assertEquals(Duration.ofMillis(100), e.timeout());
    assertTrue(e.getMessage().contains("timeout"), e.getMessage());
    // the server replies later: the reply is dropped at the handle
    assertEquals(new Event("replied", false), Expect.receive(Event.class));
    assertEquals(List.of(), Processes.mailbox(), "no late reply in the caller's mailbox");
  }

  @Test
  void gs08_defaultTimeout_isFiveSeconds(Node node) {
    assertEquals(Duration.ofSeconds(5), ServerRef.DEFAULT_TIMEOUT);
    Fn f =
        Fn.server()
            .onCall(
                (req, s) -> {
                  Fn.work(50);
                  return Next.stop(BOOM, s);
                });
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    ServerExitedException e = assertThrows(ServerExitedException.class, () -> ask(s, "x"));
    assertEquals(ServerRef.DEFAULT_TIMEOUT, e.timeout(), "call/1 waits the default 5 s");
    LogCapture.errors();
  }

  @Test
  void gs08_infinityTimeout_isAllowed(Node node) {
    Fn f = Fn.server().onCall((req, s) -> Next.reply(((Ask) req).from(), "ok", s));
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    assertEquals("ok", ask(s, "x", ServerRef.INFINITY));
  }

  @Test
  void gs08_noproc_deadPidOrUnregisteredName(Node node) {
    ServerRef<Object, Object> s = GenServer.start(node, Fn.server()).orElseThrow();
    Pid pid = s.whereis().orElseThrow();
    s.stop();
    NoProcException e = assertThrows(NoProcException.class, () -> ask(s, "x"));
    assertEquals(pid, e.server());
    ServerRef<Object, Object> byName = ServerRef.named(node, new ServerName<>("ghost"));
    NoProcException e2 =
        assertThrows(NoProcException.class, () -> ask(byName, "x", Duration.ofMillis(10)));
    assertEquals("ghost", e2.server());
    assertEquals(Duration.ofMillis(10), e2.timeout());
  }

  @Test
  void gs08_serverDiesDuringCall_callerGetsItsReason(Node node) {
    RuntimeException crash = new IllegalStateException("kaput");
    Fn f =
        Fn.server()
            .onCall(
                (req, s) ->
                    switch ((String) ((Ask) req).what()) {
                      case "exit" -> throw Processes.exit(BOOM);
                      case "raise" -> throw crash;
                      case "bad" -> null;
                      default -> Next.stop(ExitReason.shutdown("bye"), s);
                    });
    assertEquals(BOOM, exitReasonOfCall(node, f, "exit"));
    assertEquals(ExitReason.crash(crash), exitReasonOfCall(node, f, "raise"));
    assertEquals(
        ExitReason.other(new BadReturnValue("handleCall", null)), exitReasonOfCall(node, f, "bad"));
    assertEquals(ExitReason.shutdown("bye"), exitReasonOfCall(node, f, "stop"));
    assertEquals(2, LogCapture.errors().size(), "raise and bad return are crash reports");
  }

  private static ExitReason exitReasonOfCall(Node node, Fn f, String what) {
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    ServerExitedException e = assertThrows(ServerExitedException.class, () -> ask(s, what));
    assertEquals(e.reason(), s.whereis().orElseThrow().exitReason().orElseThrow());
    return e.reason();
  }

  @Test
  void gs08_callingSelf_isRejected(Node node) {
    Fn f =
        Fn.server()
            .onCall(
                (req, s) -> {
                  Ask a = (Ask) req;
                  ServerRef<Object, Object> me = ServerRef.of(Processes.self());
                  IllegalStateException call =
                      assertThrows(IllegalStateException.class, () -> ask(me, "inner"));
                  IllegalStateException stop =
                      assertThrows(IllegalStateException.class, () -> me.stop());
                  return Next.reply(a.from(), call.getMessage() + " / " + stop.getMessage(), s);
                });
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    String msg = (String) ask(s, "outer");
    assertTrue(msg.contains("would deadlock; reply with Next.reply"), msg);
    assertTrue(msg.contains("would deadlock; return Next.stop"), msg);
    assertTrue(s.whereis().orElseThrow().isAlive());
  }

  @Test
  void callsFromPlainThreads_replyTimeoutAndServerDeath(Node node) {
    Fn f =
        Fn.server()
            .onCall(
                (req, s) -> {
                  Ask a = (Ask) req;
                  return switch ((String) a.what()) {
                    case "echo" -> Next.reply(a.from(), "echo", s);
                    case "slow" -> {
                      Fn.work(200);
                      yield Next.reply(a.from(), "slow", s);
                    }
                    default -> Next.stop(BOOM, s);
                  };
                });
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    assertEquals("echo", TestProcs.await(TestProcs.onPlainThread(() -> ask(s, "echo"))));
    Throwable t =
        TestProcs.failure(TestProcs.onPlainThread(() -> ask(s, "slow", Duration.ofMillis(20))));
    assertInstanceOf(CallTimeoutException.class, t);
    assertEquals("echo", TestProcs.await(TestProcs.onPlainThread(() -> ask(s, "echo"))));
    Throwable d = TestProcs.failure(TestProcs.onPlainThread(() -> ask(s, "die")));
    assertEquals(BOOM, assertInstanceOf(ServerExitedException.class, d).reason());
    Throwable n = TestProcs.failure(TestProcs.onPlainThread(() -> ask(s, "echo")));
    assertInstanceOf(NoProcException.class, n);
    // many concurrent plain callers
    List<CompletableFuture<Object>> many =
        java.util.stream.IntStream.range(0, 8)
            .mapToObj(
                i -> {
                  ServerRef<Object, Object> e =
                      GenServer.start(
                              node,
                              Fn.server()
                                  .onCall((req, st) -> Next.reply(((Ask) req).from(), i, st)))
                          .orElseThrow();
                  return TestProcs.onPlainThread(() -> ask(e, "x"));
                })
            .toList();
    for (int i = 0; i < many.size(); i++) {
      assertEquals(i, TestProcs.await(many.get(i)));
    }
    LogCapture.errors();
  }

  @Test
  void callerKilledWhileWaiting_callEndsWithProcessExited(Node node) {
    Pid test = Processes.self();
    Fn f =
        Fn.server()
            .onCall(
                (req, s) -> {
                  Fn.report(test, "got call", ((Ask) req).what());
                  return Next.noreply(s);
                });
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    Pid caller =
        node.spawn(
            () -> {
              try {
                ask(s, "never", ServerRef.INFINITY);
              } catch (dev.coppice.core.ProcessExitedException e) {
                Processes.send(test, "unreachable"); // dead: this send throws
              }
            });
    var ref = Processes.monitor(caller);
    Expect.receive(Event.class);
    Processes.exit(caller, ExitReason.KILL);
    assertEquals(ExitReason.KILLED, Expect.down(ref).reason());
    dev.coppice.testkit.Await.until(
        "the caller's thread ends", () -> node.liveThreads().size() == 1);
    Expect.noMessage(Duration.ofMillis(20));
    assertTrue(s.whereis().orElseThrow().isAlive(), "the server is unaffected");
  }

  @Test
  void deferredReply_fromKilledProcess_throws_andNeverReachesTheCaller(Node node) {
    Pid test = Processes.self();
    CountDownLatch holding = new CountDownLatch(1);
    AtomicBoolean go = new AtomicBoolean();
    AtomicReference<Object> replied = new AtomicReference<>();
    AtomicReference<Pid> helper = new AtomicReference<>();
    Fn f =
        Fn.server()
            .onCall(
                (req, s) -> {
                  From<Object> from = ((Ask) req).from();
                  Processes.spawn(
                      () -> {
                        helper.set(Processes.self());
                        holding.countDown();
                        while (!go.get()) {
                          Thread.onSpinWait();
                        }
                        Throwable t = TestProcs.thrown(() -> from.reply("from the dead"));
                        replied.set(t == null ? "replied" : t);
                        Processes.send(test, "unreachable");
                      });
                  return Next.noreply(s);
                });
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    CompletableFuture<Object> call =
        TestProcs.onPlainThread(() -> ask(s, "x", Duration.ofMillis(300)));
    try {
      assertTrue(holding.await(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    Processes.exit(helper.get(), ExitReason.KILL);
    go.set(true);
    assertInstanceOf(CallTimeoutException.class, TestProcs.failure(call));
    Await.until("helper tried to reply", () -> replied.get() != null);
    assertInstanceOf(ProcessExitedException.class, replied.get());
  }

  @Test
  void serverKilledInCallback_itsLateReplyIsRefused(Node node) {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Object> outcome = new AtomicReference<>();
    Fn f =
        Fn.server()
            .onCall(
                (req, s) -> {
                  inside.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    // the kill's interrupt; carry on as careless user code would
                  }
                  Throwable t = TestProcs.thrown(() -> ((Ask) req).from().reply("late"));
                  outcome.set(t == null ? "replied" : t);
                  return Next.noreply(s);
                });
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    Pid pid = s.whereis().orElseThrow();
    CompletableFuture<Object> call = TestProcs.onPlainThread(() -> ask(s, "x"));
    try {
      assertTrue(inside.await(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    Processes.exit(pid, ExitReason.KILL);
    release.countDown();
    Throwable t = TestProcs.failure(call);
    assertEquals(ExitReason.KILLED, assertInstanceOf(ServerExitedException.class, t).reason());
    Await.until("the server tried to reply", () -> outcome.get() != null);
    assertInstanceOf(ProcessExitedException.class, outcome.get());
  }
}
