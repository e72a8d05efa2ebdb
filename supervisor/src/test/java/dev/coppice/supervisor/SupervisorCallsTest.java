// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import static dev.coppice.supervisor.Kids.pid;
import static dev.coppice.supervisor.Kids.started;
import static dev.coppice.supervisor.Kids.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.AttachedProcess;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.WaitInterruptedException;
import dev.coppice.core.genserver.CallTimeoutException;
import dev.coppice.testkit.Await;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Calls to a busy supervisor: the overloads with a timeout, and callers interrupted while they wait
 * for a start or a call (issue 20).
 */
@ExtendWith(NodeExtension.class)
class SupervisorCallsTest {
  private static final Duration BRIEF = Duration.ofMillis(50);
  private static final Duration BOUND = Duration.ofSeconds(10);

  /** The reply of a call made by a helper process. */
  record Done(Object result) {}

  /**
   * Makes {@code sup} busy: a helper process terminates child {@code slow}, which takes its exit
   * signal and waits for {@link Kids.Release}; returns once the supervisor is waiting for it.
   */
  private static Pid busyTerminating(Supervisor sup, String slow) {
    Pid child = pid(sup, slow);
    Pid test = Processes.self();
    Processes.spawn(() -> Processes.send(test, new Done(sup.terminateChild(slow))));
    Kids.gotExit(slow); // the supervisor has sent the signal and waits for its Down
    return child;
  }

  private static Supervisor withSlowChild(Node node) {
    Supervisor sup =
        Supervisor.start(
                node,
                SupervisorFlags.oneForOne(),
                List.of(
                    worker("a"),
                    worker("slow", Kids.Mode.WAIT_RELEASE).withShutdown(Shutdown.infinity())))
            .orElseThrow();
    started("a");
    started("slow");
    return sup;
  }

  // ------------------------------------------------------------------ timeouts

  @Test
  void sup18_callsWithATimeout_toABusySupervisor_throwCallTimeout_thenItAnswersAgain(Node node) {
    Supervisor sup = withSlowChild(node);
    Pid slow = busyTerminating(sup, "slow");

    assertThrows(CallTimeoutException.class, () -> sup.whichChildren(BRIEF));
    assertThrows(CallTimeoutException.class, () -> sup.countChildren(BRIEF));
    assertThrows(CallTimeoutException.class, () -> sup.getChildSpec("a", BRIEF));
    assertThrows(CallTimeoutException.class, () -> sup.restartChild("a", BRIEF));
    assertThrows(CallTimeoutException.class, () -> sup.deleteChild("a", BRIEF));
    assertThrows(CallTimeoutException.class, () -> sup.terminateChild("nobody", BRIEF));
    assertThrows(
        CallTimeoutException.class, () -> sup.startChild(worker("a"), BRIEF)); // already there
    assertThrows(IllegalArgumentException.class, () -> sup.whichChildren(Duration.ofMillis(-1)));

    Processes.send(slow, new Kids.Release());
    assertEquals(new Done(true), Expect.receive(Done.class, d -> true));
    assertEquals(ChildStatus.NOT_RUNNING, Kids.status(sup, "slow"));
    assertEquals(new ChildCounts(2, 1, 0, 2), sup.countChildren(BOUND));
    assertInstanceOf(RestartChildResult.Running.class, sup.restartChild("a", BOUND));
    assertEquals(DeleteChildResult.RUNNING, sup.deleteChild("a", BOUND));
    assertTrue(sup.getChildSpec("a", BOUND).isPresent());
    assertInstanceOf(
        StartChildResult.AlreadyStarted.class, sup.startChild(worker("a"), BOUND));
    assertFalse(sup.terminateChild("nobody", BOUND));
    sup.stop(dev.coppice.core.ExitReason.NORMAL, BOUND);
  }

  @Test
  void dyn03_callsWithATimeout_toABusyDynamicSupervisor_throwCallTimeout(Node node) {
    DynamicSupervisor sup =
        DynamicSupervisor.start(node, DynamicSupervisorFlags.defaults()).orElseThrow();
    var r =
        sup.startChild(
            worker("slow", Kids.Mode.WAIT_RELEASE).withShutdown(Shutdown.infinity()), BOUND);
    Pid slow = assertInstanceOf(DynamicStartResult.Started.class, r).pid();
    started("slow");
    Pid test = Processes.self();
    Processes.spawn(() -> Processes.send(test, new Done(sup.terminateChild(slow))));
    Kids.gotExit("slow");

    assertThrows(CallTimeoutException.class, () -> sup.whichChildren(BRIEF));
    assertThrows(CallTimeoutException.class, () -> sup.countChildren(BRIEF));
    assertThrows(CallTimeoutException.class, () -> sup.terminateChild(test, BRIEF));

    Processes.send(slow, new Kids.Release());
    assertEquals(new Done(true), Expect.receive(Done.class, d -> true));
    assertEquals(List.of(), sup.whichChildren(BOUND));
    assertEquals(new ChildCounts(0, 0, 0, 0), sup.countChildren(BOUND));
    sup.stop(BOUND);
  }

  /**
   * OTP's count_children counts as active only the children whose process is alive
   * ({@code is_process_alive}), even before the supervisor has handled a dead one's exit.
   */
  @Test
  void sup16_countChildren_activeCountsOnlyLiveProcesses_beforeTheExitIsHandled(Node node)
      throws InterruptedException {
    Supervisor sup = withSlowChild(node);
    Pid a = pid(sup, "a");
    Pid slow = busyTerminating(sup, "slow");
    AtomicReference<ChildCounts> counts = new AtomicReference<>();
    Thread counter = Thread.ofPlatform().start(() -> counts.set(sup.countChildren()));
    Await.until( // its call is queued: it waits for the reply
        "the count call waits",
        () -> counter.getState() == Thread.State.WAITING
            || counter.getState() == Thread.State.TIMED_WAITING);
    Kids.kill(a); // a's Down is queued after the count call
    Processes.send(slow, new Kids.Release());
    counter.join(BOUND.toMillis());
    assertFalse(counter.isAlive());
    assertEquals(new ChildCounts(2, 0, 0, 2), counts.get()); // a still listed, but not active
    assertEquals(new Done(true), Expect.receive(Done.class, d -> true));
    assertNotEquals(a, started("a").pid()); // then its exit is handled: restarted
    assertEquals(new ChildCounts(2, 1, 0, 2), sup.countChildren());
    assertEquals(1, LogCapture.errors().size()); // a's child_terminated (killed)
    sup.stop();
  }

  // ------------------------------------------------------------------ interrupts

  /** The kind of thread that makes the blocked call. */
  enum Caller {
    PLAIN,
    ATTACHED
  }

  /** What a blocked caller got when interrupted. */
  record Outcome(Throwable thrown, boolean interruptFlag) {}

  /**
   * Runs {@code call} on a new thread of the given kind, waits until {@code reached} has counted
   * down and the thread is blocked, interrupts it and returns what it got; fails if it is still
   * blocked after {@link #BOUND}.
   */
  private static Outcome interruptWhileBlocked(
      Node node, Caller kind, CountDownLatch reached, Runnable call) throws InterruptedException {
    AtomicReference<Outcome> outcome = new AtomicReference<>();
    Runnable body =
        () -> {
          Throwable thrown = null;
          try {
            call.run();
          } catch (Throwable t) { // the outcome under test, whatever it is
            thrown = t;
          }
          outcome.set(new Outcome(thrown, Thread.currentThread().isInterrupted()));
        };
    Thread t =
        Thread.ofPlatform()
            .name("blocked-caller")
            .start(
                kind == Caller.PLAIN
                    ? body
                    : () -> {
                      AttachedProcess p = node.attach();
                      try {
                        body.run();
                      } finally {
                        p.close();
                      }
                    });
    assertTrue(reached.await(BOUND.toSeconds(), TimeUnit.SECONDS), "the call got that far");
    Await.until(
        "the caller blocks",
        () -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
    t.interrupt();
    t.join(BOUND.toMillis());
    assertFalse(t.isAlive(), "the interrupted caller is still blocked: " + t.getState());
    return outcome.get();
  }

  private static void assertInterrupted(Outcome o) {
    assertNotNull(o.thrown(), "the interrupted call returned normally");
    assertInstanceOf(WaitInterruptedException.class, o.thrown(), () -> "thrown: " + o.thrown());
    assertTrue(o.interruptFlag(), "the interrupt status is set again");
  }

  @ParameterizedTest
  @EnumSource(Caller.class)
  void start_callerInterruptedWhileAChildStarts_returnsPromptlyWithWaitInterrupted(
      Caller kind, Node node) throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StartFunction good = Kids.kid("b");
    StartFunction blocking =
        () -> {
          entered.countDown();
          release.await();
          return good.start();
        };
    try {
      Outcome o =
          interruptWhileBlocked(
              node,
              kind,
              entered, // the supervisor is in the child's start
              () ->
                  Supervisor.start(
                      node, SupervisorFlags.oneForOne(), List.of(ChildSpec.worker("b", blocking))));
      assertInterrupted(o);
    } finally {
      release.countDown(); // whatever becomes of the abandoned start, the node's close ends it
    }
  }

  @Test
  void startLink_attachedCallerInterruptedWhileAChildStarts_returnsPromptlyWithWaitInterrupted(
      Node node) throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StartFunction good = Kids.kid("b");
    StartFunction blocking =
        () -> {
          entered.countDown();
          release.await();
          return good.start();
        };
    Outcome o;
    try {
      o =
          interruptWhileBlocked(
              node,
              Caller.ATTACHED, // startLink needs a calling process
              entered,
              () ->
                  Supervisor.startLink(
                      SupervisorFlags.oneForOne(), List.of(ChildSpec.worker("b", blocking))));
    } finally {
      release.countDown();
    }
    assertInterrupted(o);
  }

  @ParameterizedTest
  @EnumSource(Caller.class)
  void query_callerInterruptedWhileTheSupervisorIsBusy_returnsPromptlyWithWaitInterrupted(
      Caller kind, Node node) throws InterruptedException {
    Supervisor sup = withSlowChild(node);
    Pid slow = busyTerminating(sup, "slow");
    Outcome o;
    try {
      o = interruptWhileBlocked(node, kind, new CountDownLatch(0), sup::whichChildren);
    } finally {
      Processes.send(slow, new Kids.Release());
    }
    assertInterrupted(o);
    assertEquals(new Done(true), Expect.receive(Done.class, d -> true));
    assertEquals(new ChildCounts(2, 1, 0, 2), sup.countChildren()); // it carried on
    sup.stop();
  }

  @Test
  void dynamicQuery_callerInterruptedWhileTheSupervisorIsBusyStarting_returnsPromptly(Node node)
      throws InterruptedException {
    DynamicSupervisor sup =
        DynamicSupervisor.start(node, DynamicSupervisorFlags.defaults()).orElseThrow();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StartFunction good = Kids.kid("j");
    StartFunction blocking =
        () -> {
          entered.countDown();
          release.await();
          return good.start();
        };
    Pid test = Processes.self();
    Processes.spawn(
        () -> Processes.send(test, new Done(sup.startChild(ChildSpec.worker("j", blocking)))));
    Outcome o;
    try {
      o = interruptWhileBlocked(node, Caller.PLAIN, entered, sup::countChildren);
    } finally {
      release.countDown();
    }
    assertInterrupted(o);
    var done = Expect.receive(Done.class, d -> true);
    assertInstanceOf(DynamicStartResult.Started.class, done.result());
    started("j");
    assertEquals(1, sup.countChildren().active());
    sup.stop();
  }
}
