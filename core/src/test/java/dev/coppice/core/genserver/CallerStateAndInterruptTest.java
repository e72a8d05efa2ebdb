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
import dev.coppice.core.Processes;
import dev.coppice.core.WaitInterruptedException;
import dev.coppice.core.genserver.Fn.Ask;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The caller in {@link From}, {@code sys:get_state}/{@code replace_state}, and what an interrupt
 * does to a thread that waits in a call or a start.
 */
@ExtendWith(NodeExtension.class)
class CallerStateAndInterruptTest {

  /** A server that answers every call with the caller's pid, as OTP's {@code element(1, From)}. */
  private static Fn whoCalls() {
    return Fn.server()
        .onCall(
            (req, s) -> {
              From<Object> from = ((Ask) req).from();
              return Next.reply(from, from.caller(), s);
            });
  }

  @Test
  void gs_from_callerIsTheCallingProcess(Node node) {
    ServerRef<Object, Object> s = GenServer.start(node, whoCalls()).orElseThrow();
    assertEquals(Optional.of(Processes.self()), s.call(from -> new Ask(from, "who")));

    Pid test = Processes.self();
    Pid other =
        node.spawn(
            () -> {
              Object seen = s.call(from -> new Ask(from, "who"));
              Processes.send(test, new Seen(Processes.self(), seen));
            });
    Seen seen = Expect.receive(Seen.class);
    assertEquals(other, seen.who());
    assertEquals(Optional.of(other), seen.answer());
  }

  record Seen(Pid who, Object answer) {}

  @Test
  void gs_from_callerIsEmptyForAPlainThread(Node node) throws Exception {
    ServerRef<Object, Object> s = GenServer.start(node, whoCalls()).orElseThrow();
    Object answer =
        CompletableFuture.supplyAsync(() -> s.call(from -> new Ask(from, "who")))
            .get(10, TimeUnit.SECONDS);
    assertEquals(Optional.empty(), answer);
  }

  @Test
  void getState_returnsTheStateWithoutRunningCallbacks(Node node) {
    List<Object> seen = new ArrayList<>();
    Fn f =
        Fn.server()
            .init(() -> Init.ok(41))
            .onInfo(
                (msg, st) -> {
                  seen.add(msg);
                  return Next.noreply(st);
                });
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    Integer state = s.getState(Duration.ofSeconds(5));
    assertEquals(41, state);
    assertEquals(List.of(), seen); // no handleInfo for the system message
  }

  @Test
  void replaceState_appliesTheFunctionOnTheServer_andCallsSeeIt(Node node) {
    Fn f =
        Fn.server()
            .init(() -> Init.ok(1))
            .onCall((req, st) -> Next.reply(((Ask) req).from(), st, st));
    ServerRef<Object, Object> s = GenServer.start(node, f).orElseThrow();
    Integer replaced = s.<Integer>replaceState(n -> n + 99, Duration.ofSeconds(5));
    assertEquals(100, replaced);
    assertEquals((Object) 100, s.call(from -> new Ask(from, "state")));
  }

  @Test
  void replaceState_whenTheFunctionThrows_stateStaysAndServerLives(Node node) {
    ServerRef<Object, Object> s = GenServer.start(node, Fn.server().init(() -> Init.ok(7))).orElseThrow();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                s.<Integer>replaceState(
                    n -> {
                      throw new ArithmeticException("no");
                    },
                    Duration.ofSeconds(5)));
    assertInstanceOf(ArithmeticException.class, e.getCause());
    assertTrue(Processes.isAlive(s.whereis().orElseThrow()));
    assertEquals(7, (Integer) s.getState(Duration.ofSeconds(5)));
  }

  @Test
  void getState_ofADeadServer_isNoProc(Node node) {
    ServerRef<Object, Object> s = GenServer.start(node, Fn.server()).orElseThrow();
    s.stop();
    assertThrows(NoProcException.class, () -> s.getState(Duration.ofSeconds(1)));
  }

  /** A server whose calls never get an answer: the test decides when a thread gives up. */
  private static Fn silent(CountDownLatch gotCall) {
    return Fn.server()
        .onCall(
            (req, st) -> {
              gotCall.countDown();
              return Next.noreply(st);
            });
  }

  @Test
  void call_fromAPlainThread_interrupted_returnsPromptlyWithTheFlagSet(Node node)
      throws Exception {
    CountDownLatch gotCall = new CountDownLatch(1);
    ServerRef<Object, Object> s = GenServer.start(node, silent(gotCall)).orElseThrow();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread t =
        Thread.ofPlatform()
            .name("interrupted-caller")
            .start(
                () -> {
                  try {
                    s.call(from -> new Ask(from, "never"), ServerRef.INFINITY);
                  } catch (Throwable e) {
                    thrown.set(e);
                    flag.set(Thread.currentThread().isInterrupted());
                  }
                });
    assertTrue(gotCall.await(10, TimeUnit.SECONDS));
    t.interrupt();
    t.join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(t.isAlive(), "the interrupted caller must return");
    assertInstanceOf(WaitInterruptedException.class, thrown.get());
    assertFalse(thrown.get() instanceof CallException, "a retry loop on CallException must not catch it");
    assertTrue(flag.get(), "the interrupt status is set again");
    assertTrue(Processes.isAlive(s.whereis().orElseThrow()), "the server is not touched");
  }

  @Test
  void call_fromAnAttachedThread_interrupted_returnsPromptly(Node node) throws Exception {
    CountDownLatch gotCall = new CountDownLatch(1);
    ServerRef<Object, Object> s = GenServer.start(node, silent(gotCall)).orElseThrow();
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread t =
        Thread.ofPlatform()
            .name("attached-caller")
            .start(
                () -> {
                  try (var self = node.attach()) {
                    assertTrue(Processes.isAlive(self.pid()));
                    s.call(from -> new Ask(from, "never"), Duration.ofMinutes(10));
                    outcome.complete(null);
                  } catch (Throwable e) {
                    outcome.complete(e);
                  }
                });
    assertTrue(gotCall.await(10, TimeUnit.SECONDS));
    t.interrupt();
    assertInstanceOf(WaitInterruptedException.class, outcome.get(10, TimeUnit.SECONDS));
    t.join();
  }

  @Test
  void call_interruptedBeforeItStarts_throwsAtOnce(Node node) throws Exception {
    ServerRef<Object, Object> s = GenServer.start(node, silent(new CountDownLatch(1))).orElseThrow();
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread.ofPlatform()
        .start(
            () -> {
              Thread.currentThread().interrupt();
              try {
                s.call(from -> new Ask(from, "never"), ServerRef.INFINITY);
                outcome.complete(null);
              } catch (Throwable e) {
                outcome.complete(e);
              }
            });
    assertInstanceOf(WaitInterruptedException.class, outcome.get(10, TimeUnit.SECONDS));
  }

  @Test
  void start_interruptedWhileInitBlocks_returnsPromptly_andKillsTheServer(Node node)
      throws Exception {
    CountDownLatch inInit = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    AtomicReference<Pid> server = new AtomicReference<>();
    Fn f =
        Fn.server()
            .init(
                () -> {
                  server.set(Processes.self());
                  inInit.countDown();
                  never.await();
                  return Init.ok(0);
                });
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread t =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    GenServer.start(node, f, StartOptions.DEFAULTS.withTimeout(ServerRef.INFINITY));
                    outcome.complete(null);
                  } catch (Throwable e) {
                    outcome.complete(e);
                  }
                });
    assertTrue(inInit.await(10, TimeUnit.SECONDS));
    assertTrue(Processes.isAlive(server.get()), () -> "exited: " + server.get().exitReason());
    var ref = Processes.monitor(server.get());
    t.interrupt();
    assertInstanceOf(WaitInterruptedException.class, outcome.get(10, TimeUnit.SECONDS));
    assertSame(ExitReason.KILLED, Expect.down(ref).reason());
  }

  @Test
  void receive_ofAnAttachedProcess_interrupted_returnsPromptly(Node node) throws Exception {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    CountDownLatch attached = new CountDownLatch(1);
    Thread t =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (var self = node.attach()) {
                    assertTrue(Processes.isAlive(self.pid()));
                    attached.countDown();
                    Processes.receive(String.class);
                    outcome.complete(null);
                  } catch (Throwable e) {
                    outcome.complete(e);
                  }
                });
    assertTrue(attached.await(10, TimeUnit.SECONDS));
    t.interrupt();
    assertInstanceOf(WaitInterruptedException.class, outcome.get(10, TimeUnit.SECONDS));
    t.join();
  }
}
