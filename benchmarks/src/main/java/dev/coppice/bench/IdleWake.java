// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code jdk.vt.idle_wake} and {@code jdk.vt.idle_start}: the JDK's own floor under every hop of a
 * restart, with no coppice code at all. A restart (and the seed scenario) is a chain of hops from
 * one virtual thread to another that has been waiting, on a machine that is idle between kills:
 * kill to the supervisor, supervisor to the new child's thread, child to the bench process,
 * call to the server, reply to the caller. Each hop is a {@code LockSupport.unpark} of a parked
 * virtual thread (or the start of a new one) while the scheduler's carriers have gone idle.
 *
 * <p>Measured: two virtual threads hand a turn back and forth; each, when woken, pauses 50 us (so
 * that the carriers go idle), reads the clock, unparks the other and parks untimed, as a process
 * goes back to its receive; the woken thread reads the clock when it runs. Likewise
 * from {@code Thread.start()} of a virtual thread, by a virtual thread, to its first instruction. Median of 2,000 after
 * 5,000 warm-up rounds, with p99 in the notes.
 */
public final class IdleWake implements Figure {
  private static final int WARMUP = 5000;
  private static final int N = 2000;

  /** One side of the relay: its turn flag and the time the other side woke it. */
  private static final class Side {
    volatile boolean turn;
    volatile long wokenAt;
    volatile Thread thread;
  }

  @Override
  public String id() {
    return "wake";
  }

  @Override
  public String suite() {
    return "core";
  }

  @Override
  public void run() throws Exception {
    Latencies wake = new Latencies();
    Latencies start = new Latencies();
    Side a = new Side();
    Side b = new Side();
    CountDownLatch done = new CountDownLatch(2);
    a.thread = Thread.ofVirtual().name("idle-wake-a").unstarted(() -> relay(a, b, wake, done));
    b.thread = Thread.ofVirtual().name("idle-wake-b").unstarted(() -> relay(b, a, wake, done));
    a.turn = true;
    a.wokenAt = System.nanoTime();
    b.thread.start();
    a.thread.start();
    if (!done.await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the relay did not finish");
    }
    Thread starter =
        Thread.ofVirtual()
            .name("idle-start")
            .start(
                () -> {
                  for (int i = 0; i < WARMUP + N; i++) {
                    CompletableFuture<Long> first = new CompletableFuture<>();
                    LockSupport.parkNanos(50_000);
                    long s0 = System.nanoTime();
                    Thread.ofVirtual().start(() -> first.complete(System.nanoTime()));
                    long dt = first.join() - s0;
                    if (i >= WARMUP) {
                      start.record(dt);
                    }
                  }
                });
    starter.join();
    wake.note("jdk.vt.idle_wake");
    Harness.out("jdk.vt.idle_wake", wake.percentile(50), "ns");
    start.note("jdk.vt.idle_start");
    Harness.out("jdk.vt.idle_start", start.percentile(50), "ns");
  }

  /**
   * Waits for its turn (untimed park), records how long the wake-up took, pauses 50 us (so both
   * carriers go idle), then hands the turn to the other side and goes back to waiting, as a
   * process goes back to its receive.
   */
  private static void relay(Side me, Side other, Latencies wake, CountDownLatch done) {
    for (int i = 0; i < WARMUP + N; i++) {
      while (!me.turn) {
        LockSupport.park();
      }
      me.turn = false;
      long dt = System.nanoTime() - me.wokenAt;
      if (i >= WARMUP && me.thread.getName().endsWith("b")) {
        wake.record(dt);
      }
      LockSupport.parkNanos(50_000);
      other.wokenAt = System.nanoTime();
      other.turn = true;
      LockSupport.unpark(other.thread);
    }
    done.countDown();
  }
}
