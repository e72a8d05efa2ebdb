// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import dev.coppice.bench.BenchServers.Echo;
import dev.coppice.bench.BenchServers.Ping;
import dev.coppice.core.Node;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.ServerRef;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code coppice.call.rtt}: a process calls an echo GenServer, waits for the reply, repeats;
 * nanoseconds per call. The counterpart of {@code erl.call.rtt} (a process doing {@code
 * gen_server:call(S, ping)} in a loop) and of {@code pekko.pingpong.rtt}. The call is what user
 * code writes: {@code ServerRef.call(Ping::new)} with the default 5 s timeout, from a process
 * spawned for each round.
 *
 * <p>Also prints {@code coppice.call.p50} and {@code .p99}: one extra round of 100,000 calls,
 * each timed alone (so they include a clock read).
 */
public final class CallRoundTrip implements Figure {
  @Override
  public String id() {
    return "call";
  }

  @Override
  public String suite() {
    return "core";
  }

  @Override
  public void run() throws Exception {
    try (Node node = Node.start()) {
      ServerRef<Ping, Object> echo = GenServer.start(node, new Echo()).orElseThrow();
      Harness.latency("coppice.call.rtt", n -> round(node, echo, n));
      Latencies lat = new Latencies();
      inProcess(
          node,
          () -> {
            for (int i = 0; i < 100_000; i++) {
              long t0 = System.nanoTime();
              Object r = echo.call(Ping::new);
              lat.record(System.nanoTime() - t0);
              check(r);
            }
            return 0L;
          });
      lat.note("coppice.call.single");
      Harness.out("coppice.call.p50", lat.percentile(50), "ns");
      Harness.out("coppice.call.p99", lat.percentile(99), "ns");
      echo.stop();
    }
  }

  /**
   * Makes {@code n} calls from a new process.
   *
   * @param node the node
   * @param echo the echo server
   * @param n how many calls
   * @return elapsed nanoseconds, measured in the calling process
   * @throws Exception if a call fails
   */
  public static long round(Node node, ServerRef<Ping, Object> echo, int n) throws Exception {
    return inProcess(
        node,
        () -> {
          long t0 = System.nanoTime();
          for (int i = 0; i < n; i++) {
            check(echo.call(Ping::new));
          }
          return System.nanoTime() - t0;
        });
  }

  private static void check(Object reply) {
    if (reply != BenchServers.PONG) {
      throw new AssertionError("unexpected reply " + reply);
    }
  }

  /** Work done in a process, returning a value. */
  @FunctionalInterface
  interface ProcessWork {
    long run() throws Exception;
  }

  /** Runs {@code work} in a new process of {@code node} and returns its result. */
  static long inProcess(Node node, ProcessWork work) throws Exception {
    CompletableFuture<Long> done = new CompletableFuture<>();
    node.spawn(
        () -> {
          try {
            done.complete(work.run());
          } catch (Exception | Error e) { // the bench process's boundary: report, do not hang
            done.completeExceptionally(e);
          }
        });
    return done.get(10, TimeUnit.MINUTES);
  }
}
