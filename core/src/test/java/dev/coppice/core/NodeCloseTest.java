// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.genserver.From;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;
import dev.coppice.core.genserver.ServerExitedException;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.testkit.Await;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Node.close(): every process ends, every thread is joined, nothing leaks. */
@ExtendWith(NodeExtension.class)
class NodeCloseTest {

  record Never(From<String> from) {}

  /** A server that never answers calls; it tells {@code watcher} about each one. */
  static final class Silent implements GenServer<Integer, Never, String> {
    private final Pid watcher;

    Silent(Pid watcher) {
      this.watcher = watcher;
    }

    @Override
    public Init<Integer> init() {
      return Init.ok(0);
    }

    @Override
    public Next<Integer> handleCall(Never request, Integer state) {
      Processes.send(watcher, "got a call");
      return Next.noreply(state);
    }
  }

  @Test
  void close_endsEveryProcess_andJoinsEveryThread(Node testNode) {
    Node node = Node.start();
    List<Pid> pids = new ArrayList<>();
    // blocked in receive
    for (int i = 0; i < 200; i++) {
      pids.add(TestProcs.idle(node));
    }
    // trapping exits
    pids.add(
        node.spawn(
            () -> {
              Processes.trapExits(true);
              TestProcs.receiveForever();
            }));
    // a server, and a process blocked in a call to it
    ServerRef<Never, String> silent =
        GenServer.start(node, new Silent(Processes.self())).orElseThrow();
    pids.add(silent.whereis().orElseThrow());
    pids.add(node.spawn(() -> silent.call(Never::new, ServerRef.INFINITY)));
    // a linked pair, one sleeping in user code
    pids.add(
        node.spawn(
            () -> {
              Processes.spawnLink(TestProcs::receiveForever);
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }));
    // a plain thread blocked in a call
    CompletableFuture<String> plain =
        TestProcs.onPlainThread(() -> silent.call(Never::new, ServerRef.INFINITY));
    Expect.receive(String.class, "got a call"::equals);
    Expect.receive(String.class, "got a call"::equals);
    Await.until("everyone is running", () -> node.processCount() >= pids.size() + 1);

    node.close();
    assertTrue(node.isClosed());
    assertEquals(0, node.processCount());
    assertEquals(List.of(), node.liveThreads());
    for (Pid p : pids) {
      assertFalse(p.isAlive(), p + " survived close");
      assertEquals(ExitReason.KILLED, p.exitReason().orElseThrow());
    }
    Throwable t = TestProcs.failure(plain);
    assertInstanceOf(ServerExitedException.class, t);
    assertEquals(ExitReason.KILLED, ((ServerExitedException) t).reason());
    assertThrows(IllegalStateException.class, () -> node.spawn(() -> {}));
    node.close(); // idempotent
    assertTrue(LogCapture.errors().isEmpty(), "close logs no crashes: " + LogCapture.errors());
  }

  @Test
  void close_endsProcessesSpawnedWhileClosing(Node testNode) {
    Node node = Node.start();
    // a process that keeps spawning children until it is stopped
    node.spawn(
        () -> {
          for (; ; ) {
            Processes.spawn(TestProcs::receiveForever);
            Processes.receive(Duration.ZERO);
          }
        });
    Await.until("spawning", () -> node.processCount() > 50);
    node.close();
    assertEquals(0, node.processCount());
    assertEquals(List.of(), node.liveThreads());
  }

  @Test
  void close_fromOwnProcess_isRejected(Node node) {
    Pid test = Processes.self();
    Pid p =
        node.spawn(
            () -> {
              Throwable t = TestProcs.thrown(node::close);
              Processes.send(test, t == null ? "closed" : t.getClass().getSimpleName());
            });
    assertEquals("IllegalStateException", Expect.next());
    Expect.down(p);
    assertFalse(node.isClosed());
  }

  @Test
  void close_fromAttachedThread_endsItsOwnProcessToo(Node testNode) throws Exception {
    String result =
        TestProcs.await(
            TestProcs.onPlainThread(
                () -> {
                  Node node = Node.start();
                  AttachedProcess me = node.attach();
                  Pid p = TestProcs.idle(node);
                  Processes.link(p);
                  node.close();
                  boolean interrupted = Thread.currentThread().isInterrupted();
                  me.close();
                  return me.pid().exitReason().orElseThrow()
                      + " "
                      + interrupted
                      + " "
                      + (Processes.selfOrNull() == null);
                }));
    assertEquals("killed false true", result);
  }

  @Test
  void close_manyIdleProcesses_isQuick(Node testNode) {
    Node node = Node.start();
    for (int i = 0; i < 10_000; i++) {
      TestProcs.idle(node);
    }
    long t0 = System.nanoTime();
    node.close();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(List.of(), node.liveThreads());
    assertTrue(ms < 10_000, "close took " + ms + " ms");
    Expect.noMessage(Duration.ZERO);
  }
}
