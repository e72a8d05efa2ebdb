// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import dev.coppice.bench.BenchServers.Counter;
import dev.coppice.bench.BenchServers.Inc;
import dev.coppice.bench.BenchServers.Sync;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.ServerRef;

/**
 * {@code coppice.cast.tput.1p} and {@code .2p}: P producer processes cast n/P messages in all to
 * one counting GenServer; messages per second. The same shape as {@code erl.cast.tput.Np}: each
 * round starts a fresh counter, the producers wait for a go message, cast, then make one {@code
 * sync} call (which returns once the server has handled every cast queued before it) and tell the
 * coordinating process they are done; the clock runs from the first go to the last done.
 */
public final class CastThroughput implements Figure {
  private static final Object GO = "go";

  record Done(Pid producer) {}

  @Override
  public String id() {
    return "cast";
  }

  @Override
  public String suite() {
    return "core";
  }

  @Override
  public void run() throws Exception {
    try (Node node = Node.start()) {
      for (int p : new int[] {1, 2}) {
        Harness.throughput(
            "coppice.cast.tput." + p + "p", "msg/s", n -> CallRoundTrip.inProcess(node, () -> round(p, n)));
      }
    }
  }

  /** One round, run by the coordinating process. */
  static long round(int producers, int total) throws Exception {
    ServerRef<Sync, Inc> counter = GenServer.start(new Counter()).orElseThrow();
    Pid self = Processes.self();
    int per = total / producers;
    long expected = (long) per * producers;
    Pid[] ps = new Pid[producers];
    for (int j = 0; j < producers; j++) {
      ps[j] =
          Processes.spawn(
              () -> {
                if (Processes.receive() != GO) {
                  throw new AssertionError("expected go");
                }
                for (int i = 0; i < per; i++) {
                  counter.cast(Inc.INC);
                }
                counter.call(Sync::new, ServerRef.INFINITY);
                Processes.send(self, new Done(Processes.self()));
              });
    }
    Thread.sleep(5); // let the producers reach their receive, as the JVM anchors do
    long t0 = System.nanoTime();
    for (Pid p : ps) {
      Processes.send(p, GO);
    }
    for (int j = 0; j < producers; j++) {
      Processes.receive(Done.class);
    }
    long t1 = System.nanoTime();
    long count = counter.call(Sync::new);
    if (count != expected) {
      throw new AssertionError("counted " + count + " casts of " + expected);
    }
    counter.stop();
    return (long) ((t1 - t0) * ((double) total / expected));
  }
}
