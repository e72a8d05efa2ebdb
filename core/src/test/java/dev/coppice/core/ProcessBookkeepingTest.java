// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * How the runtime knows the current process (the thread's uncaught-exception handler) and a
 * node's processes (a striped intrusive list), checked from the outside: no process is lost or
 * counted twice, and a thread is the process it runs, and no other, for exactly as long as it
 * should be.
 */
class ProcessBookkeepingTest {

  @Test
  void processes_listsEveryLiveProcessOnce_acrossStripes_andForgetsTheDead() throws Exception {
    try (Node node = Node.start()) {
      List<Pid> pids = new ArrayList<>();
      for (int i = 0; i < 100; i++) { // more than the 16 stripes, several per stripe
        pids.add(node.spawn(Processes::receive));
      }
      assertEquals(new HashSet<>(pids), new HashSet<>(node.processes()));
      assertEquals(100, node.processCount());
      // remove from the head, the middle and the tail of the stripes' lists
      Set<Pid> killed = new HashSet<>();
      for (int i = 0; i < 100; i += 3) {
        node.exit(pids.get(i), ExitReason.KILL);
        killed.add(pids.get(i));
      }
      Set<Pid> expected = new HashSet<>(pids);
      expected.removeAll(killed);
      assertEquals(expected, new HashSet<>(node.processes()));
      assertEquals(expected.size(), node.processCount());
      for (Pid p : expected) {
        node.send(p, "go"); // each receives once and ends normally
      }
      Await.until("every process has ended", () -> node.processCount() == 0, Duration.ofSeconds(10));
      assertTrue(node.awaitThreads(Duration.ofSeconds(10)));
      assertEquals(List.of(), node.liveThreads());
    }
  }

  @Test
  void processes_ofOneNode_areNotThoseOfAnother() throws Exception {
    try (Node a = Node.start();
        Node b = Node.start()) {
      Pid pa = a.spawn(Processes::receive);
      Pid pb = b.spawn(Processes::receive);
      assertEquals(List.of(pa), a.processes());
      assertEquals(List.of(pb), b.processes());
    }
  }

  @Test
  void aProcessThread_isItsProcess_fromItsFirstInstruction() throws Exception {
    try (Node node = Node.start()) {
      CompletableFuture<Optional<Pid>> seen = new CompletableFuture<>();
      Pid p = node.spawn(() -> seen.complete(Optional.ofNullable(Processes.selfOrNull())));
      assertEquals(Optional.of(p), seen.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void processThreads_shareOneName_unlessPidNamesAreAskedFor() throws Exception {
    try (Node node = Node.start()) {
      CompletableFuture<String> name = new CompletableFuture<>();
      node.spawn(() -> name.complete(Thread.currentThread().getName()));
      assertEquals(Node.THREAD_NAME, name.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aPlainThread_isNoProcess_untilItAttaches_andAfterItDetaches() {
    try (Node node = Node.start()) {
      assertNull(Processes.selfOrNull());
      Pid attached;
      try (AttachedProcess ap = node.attach()) {
        attached = ap.pid();
        assertSame(attached, Processes.self());
        assertTrue(node.processes().contains(attached));
      }
      assertNull(Processes.selfOrNull());
      assertFalse(node.processes().contains(attached));
      assertFalse(attached.isAlive());
    }
  }

  @Test
  void exitHooks_runOutsideAnyProcess_andTheKillerIsItselfAgainAfterwards() throws Exception {
    try (Node node = Node.start()) {
      AtomicReference<Optional<Pid>> inHook = new AtomicReference<>();
      CompletableFuture<Optional<Pid>> after = new CompletableFuture<>();
      Pid victim = node.spawn(Processes::receive);
      Pid killer =
          node.spawn(
              () -> {
                Processes.onExit(victim, (p, r) -> inHook.set(Optional.ofNullable(Processes.selfOrNull())));
                Processes.exit(victim, ExitReason.KILL); // the hook runs on this thread
                after.complete(Optional.ofNullable(Processes.selfOrNull()));
                Processes.receive();
              });
      assertEquals(Optional.of(killer), after.get(10, TimeUnit.SECONDS));
      assertEquals(Optional.empty(), inHook.get());
    }
  }
}
