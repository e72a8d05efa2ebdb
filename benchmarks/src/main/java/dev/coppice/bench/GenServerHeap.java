// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import dev.coppice.bench.BenchServers.Idle;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.genserver.GenServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * {@code coppice.genserver.heap_per_idle.100k} and {@code .1m}: retained heap per idle GenServer
 * (init returned ok, waiting for a message) with 100,000 and then 1,000,000 of them alive. Measured
 * as the anchors measure heap per process ({@code pekko.spawn.heap_per_actor}, {@code
 * raw.vt.heap_per_thread}): full GCs, used heap before, start them, 200 ms, full GCs, used heap
 * after; the delta divided by the count. Compared with {@code erl.spawn.mem_per_proc}, an idle
 * bare Erlang process (an idle gen_server is larger).
 *
 * <p>The servers are started one after another by a process, with {@code GenServer.start}; {@code
 * coppice.genserver.start.per_server} is the time per start of the last 900,000 (each start waits
 * for init, as in OTP). With {@code -Dbench.histo=FILE} the class histogram at 1M alive is
 * written to FILE.
 */
public final class GenServerHeap implements Figure {
  @Override
  public String id() {
    return "genserver-heap";
  }

  @Override
  public String suite() {
    return "mem";
  }

  @Override
  public void run() throws Exception {
    int n1 = 100_000;
    int n2 = Integer.getInteger("genserver.n", 1_000_000);
    Node node = Node.start();
    try {
      Pid[] pids = new Pid[n2];
      Harness.gc();
      long heap0 = Harness.heapUsed();
      start(node, pids, 0, n1);
      Thread.sleep(200);
      Harness.gc();
      long heap1 = Harness.heapUsed();
      long t0 = System.nanoTime();
      start(node, pids, n1, n2);
      long t1 = System.nanoTime();
      Thread.sleep(200);
      Harness.gc();
      long heap2 = Harness.heapUsed();
      if (node.processCount() != n2) {
        throw new AssertionError(node.processCount() + " processes alive, expected " + n2);
      }
      String histo = System.getProperty("bench.histo");
      if (histo != null) {
        writeHistogram(Path.of(histo));
      }
      Harness.out("coppice.genserver.heap_per_idle.100k", (double) (heap1 - heap0) / n1, "bytes/proc");
      Harness.out("coppice.genserver.heap_per_idle.1m", (double) (heap2 - heap0) / n2, "bytes/proc");
      Harness.out("coppice.genserver.start.per_server", (double) (t1 - t0) / (n2 - n1), "ns/proc");
    } finally {
      node.close();
      if (!node.awaitThreads(Duration.ofMinutes(5))) {
        throw new IllegalStateException("servers still run 5 minutes after close");
      }
    }
  }

  private static void start(Node node, Pid[] pids, int from, int to) throws Exception {
    CallRoundTrip.inProcess(
        node,
        () -> {
          for (int i = from; i < to; i++) {
            pids[i] = GenServer.start(new Idle()).orElseThrow().whereis().orElseThrow();
          }
          return 0L;
        });
  }

  private static void writeHistogram(Path file) throws JMException, IOException {
    String s =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    Files.writeString(file, s);
  }
}
