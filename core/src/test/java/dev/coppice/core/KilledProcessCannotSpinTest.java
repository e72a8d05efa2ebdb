// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.genserver.CallException;
import dev.coppice.core.genserver.From;
import dev.coppice.core.genserver.ServerName;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A process killed while its thread runs user code gets {@link ProcessExitedException} from every
 * coppice call, checked before anything else, so that the retry loop users write ("call until it
 * works, catching CallException") ends instead of spinning on the carriers forever.
 */
@ExtendWith(NodeExtension.class)
class KilledProcessCannotSpinTest {

  record Req(From<String> from) {}

  /**
   * Spawns a process on {@code node} that tells the test it started, then runs {@code attempt} in
   * a loop that swallows what a naive retry loop swallows. Returns its pid and a future of what
   * finally ended the loop.
   */
  private static Pid spinner(
      Node node, Consumer<Node> attempt, CompletableFuture<Throwable> ended) {
    Pid test = Processes.self();
    return node.spawn(
        () -> {
          Processes.send(test, "spinning");
          try {
            for (long i = 0; i < 200_000_000L; i++) { // bounded: a spin fails the test, not CI
              try {
                attempt.accept(node);
              } catch (CallException | IllegalArgumentException e) {
                // what users write: retry until the server is there again
              }
              Thread.onSpinWait();
            }
            ended.complete(null);
          } catch (Throwable t) {
            ended.complete(t);
            throw t;
          }
        });
  }

  private static void assertStopsWhenKilled(Node node, Consumer<Node> attempt) throws Exception {
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    Pid p = spinner(node, attempt, ended);
    Expect.receive(String.class, "spinning"::equals);
    Processes.exit(p, ExitReason.KILL);
    assertInstanceOf(ProcessExitedException.class, ended.get(10, TimeUnit.SECONDS));
  }

  @Test
  void proc_killedWhileCallingAnUnregisteredName_getsProcessExited(Node node) throws Exception {
    ServerRef<Req, Object> nobody = ServerRef.named(node, new ServerName<>("nobody"));
    assertStopsWhenKilled(node, n -> nobody.call(Req::new, Duration.ofSeconds(1)));
  }

  @Test
  void proc_killedWhileCallingADeadPid_getsProcessExited(Node node) throws Exception {
    Pid dead = node.spawn(() -> {});
    Processes.monitor(dead);
    Expect.down(dead);
    ServerRef<Req, Object> gone = ServerRef.of(dead);
    assertStopsWhenKilled(node, n -> gone.call(Req::new, Duration.ofSeconds(1)));
  }

  @Test
  void proc_killedWhileSendingByNodeToAName_getsProcessExited(Node node) throws Exception {
    assertStopsWhenKilled(node, n -> n.send("nobody", "hello"));
  }

  @Test
  void proc_killedWhileLookingUpAndCasting_getsProcessExited(Node node) throws Exception {
    ServerRef<Req, Object> nobody = ServerRef.named(node, new ServerName<>("nobody"));
    assertStopsWhenKilled(
        node,
        n -> {
          n.whereis("nobody");
          nobody.cast("x");
        });
  }

  @Test
  void proc_afterNodeClose_retryLoopEnds_andNoThreadIsLeft(Node testNode) throws Exception {
    Node node = Node.start();
    ServerRef<Req, Object> nobody = ServerRef.named(node, new ServerName<>("nobody"));
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    spinner(node, n -> nobody.call(Req::new, Duration.ofSeconds(1)), ended);
    Expect.receive(String.class, "spinning"::equals);
    node.close();
    assertInstanceOf(ProcessExitedException.class, ended.get(10, TimeUnit.SECONDS));
    assertTrue(node.awaitThreads(Duration.ofSeconds(10)));
    assertEquals(List.of(), node.liveThreads());
  }

  @Test
  void proc_deadProcess_nodeSendToAPid_doesNotDeliver(Node node) throws Exception {
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    Pid test = Processes.self();
    Pid p =
        node.spawn(
            () -> {
              Processes.send(test, "ready");
              try {
                Processes.receive(String.class, "go"::equals);
              } catch (ProcessExitedException e) {
                // killed while waiting: now act as user code that ignores it
              }
              try {
                node.send(test, "sent after death");
                ended.complete(null);
              } catch (Throwable t) {
                ended.complete(t);
              }
            });
    Expect.receive(String.class, "ready"::equals);
    Processes.exit(p, ExitReason.KILL);
    assertInstanceOf(ProcessExitedException.class, ended.get(10, TimeUnit.SECONDS));
    Expect.noMessage(Duration.ofMillis(100));
  }
}
