// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code coppice.spawn.per_proc}: a process spawns 1,000,000 processes that each wait to receive
 * one message; nanoseconds per process until all of them are waiting. As {@code
 * erl.spawn.per_proc} ({@code spawn(fun idle/0)} a million times, {@code idle() -> receive stop
 * -> ok end}), {@code pekko.spawn.per_actor} and {@code raw.vt.start.per_thread}: two rounds in
 * a fresh JVM, {@code .cold} the first, the headline the second ("warm").
 *
 * <p>Also, as those anchors: {@code coppice.spawn.heap_per_proc} (used heap after full GCs with
 * all of them waiting, minus before, per process) and {@code coppice.exit.per_proc} (kill them
 * all, until every thread has ended; {@code erl.exit.per_proc}, {@code raw.vt.wake_join}).
 */
public final class SpawnIdle implements Figure {
  static final int N = Integer.getInteger("spawn.n", 1_000_000);

  @Override
  public String id() {
    return "spawn";
  }

  @Override
  public String suite() {
    return "mem";
  }

  @Override
  public void run() throws Exception {
    double[] cold = round(N);
    double[] warm = round(N);
    Harness.note("coppice spawn cold " + Arrays.toString(cold) + " warm " + Arrays.toString(warm));
    Harness.out("coppice.spawn.per_proc", warm[0], "ns/proc");
    Harness.out("coppice.spawn.per_proc.cold", cold[0], "ns/proc");
    Harness.out("coppice.spawn.heap_per_proc", warm[1], "bytes/proc");
    Harness.out("coppice.exit.per_proc", warm[2], "ns/proc");
    Harness.out("coppice.exit.per_proc.cold", cold[2], "ns/proc");
  }

  /** {@return ns per spawn, heap bytes per idle process, ns per kill until all threads ended} */
  static double[] round(int n) throws Exception {
    try (Node node = Node.start()) {
      LongAdder started = new LongAdder();
      Pid[] pids = new Pid[n];
      Runnable idle =
          () -> {
            started.increment();
            Processes.receive();
          };
      Harness.gc();
      long heap0 = Harness.heapUsed();
      long t0 = System.nanoTime();
      CallRoundTrip.inProcess(
          node,
          () -> {
            for (int i = 0; i < n; i++) {
              pids[i] = Processes.spawn(idle);
            }
            return 0L;
          });
      while (started.sum() < n) {
        Thread.sleep(1);
      }
      long t1 = System.nanoTime();
      Thread.sleep(200); // the last ones get from increment() into their receive
      Harness.gc();
      long heap1 = Harness.heapUsed();
      long t2 = System.nanoTime();
      for (Pid p : pids) {
        node.exit(p, ExitReason.KILL);
      }
      if (!node.awaitThreads(Duration.ofMinutes(5))) {
        throw new IllegalStateException("killed processes still run after 5 minutes");
      }
      long t3 = System.nanoTime();
      return new double[] {
        (double) (t1 - t0) / n, (double) (heap1 - heap0) / n, (double) (t3 - t2) / n
      };
    }
  }
}
