// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.fail;

import dev.coppice.testkit.Expect;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Small processes and helpers shared by core's tests. */
public final class TestProcs {
  private TestProcs() {}

  /** Sent by a process once its setup has run. */
  public record Ready(Pid pid) {}

  /** A message a forwarder received, passed on to the test process. */
  public record Forwarded(Pid by, Object message) {}

  /** Tells a {@link #dieOnCommand} process to exit with {@code reason}. */
  public record Die(ExitReason reason) {}

  /** Tells a {@link #dieOnCommand} process to throw {@code error}. */
  public record Crash(RuntimeException error) {}

  /** A plain message. */
  public record Ping(int n) {}

  /** Blocks in receive forever. */
  public static void receiveForever() {
    for (; ; ) {
      Processes.receive();
    }
  }

  /** {@return a process that waits forever} */
  public static Pid idle(Node node) {
    return node.spawn(TestProcs::receiveForever);
  }

  /**
   * Spawns a process that runs {@code setup}, then tells the calling (test) process it is ready,
   * then forwards every message it receives as {@link Forwarded}. Returns once it is ready.
   */
  public static Pid forwarder(Node node, Runnable setup) {
    Pid test = Processes.self();
    Pid p =
        node.spawn(
            () -> {
              setup.run();
              Processes.send(test, new Ready(Processes.self()));
              for (; ; ) {
                Object m = Processes.receive();
                Processes.send(test, new Forwarded(Processes.self(), m));
              }
            });
    Expect.receive(Ready.class, r -> r.pid() == p);
    return p;
  }

  /** {@return a process that exits as told by the first {@link Die} or {@link Crash} message} */
  public static Pid dieOnCommand(Node node) {
    return node.spawn(
        () -> {
          Object m =
              Processes.receive(
                  Object.class,
                  x -> x instanceof Die || x instanceof Crash,
                  Duration.ofSeconds(30));
          if (m instanceof Crash c) {
            throw c.error();
          }
          if (m instanceof Die d) {
            if (d.reason() instanceof ExitReason.Normal) {
              return; // returning is the normal way to end
            }
            throw Processes.exit(d.reason());
          }
        });
  }

  /**
   * Waits for {@code pid} to end and returns its exit reason. Unlike the reason of {@code
   * Expect.down(pid)}, which is {@code noproc} when the process had already ended before the
   * monitor was set, this is always the real reason.
   */
  public static ExitReason exitReasonOf(Pid pid) {
    Expect.down(pid);
    return pid.exitReason().orElseThrow();
  }

  /** Runs {@code body} on a new platform thread that is not a process. */
  public static <T> CompletableFuture<T> onPlainThread(Callable<T> body) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("plain-test-thread")
        .daemon(true)
        .start(
            () -> {
              try {
                f.complete(body.call());
              } catch (Throwable e) { // the test thread boundary: report anything
                f.completeExceptionally(e);
              }
            });
    return f;
  }

  /** {@return the value {@code f} completes with; fails the test after 10 s} */
  public static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected a value, got " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      return fail("no result within 10 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
  }

  /** {@return what {@code f} failed with; fails the test if it completed normally} */
  public static Throwable failure(CompletableFuture<?> f) {
    try {
      Object v = f.get(10, TimeUnit.SECONDS);
      return fail("expected a failure, got " + v);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      return fail("no result within 10 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
  }

  /** Runs {@code r} and returns what it threw, or null. */
  public static Throwable thrown(Runnable r) {
    try {
      r.run();
      return null;
    } catch (RuntimeException | AssertionError e) {
      return e;
    }
  }
}
