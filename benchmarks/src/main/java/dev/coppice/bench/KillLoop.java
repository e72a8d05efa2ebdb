// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import dev.coppice.core.Pid;
import java.util.ArrayList;
import java.util.List;

/**
 * Kills a supervised server again and again, timing each kill until a call to its successor has
 * answered, and reports the figure under three warm-ups from one fresh JVM, in this order:
 *
 * <ol>
 *   <li>{@code NAME.cold}: Erlang's protocol to the letter ({@code coldWarmUp} kills, then one
 *       window of {@code timed} timed ones). The JIT has compiled little of the restart path.
 *   <li>{@code NAME.warm5k}: one window after 5,000 more kills, the JVM anchor's warm-up ({@code
 *       pekko.sup.restart_to_reply}). C2 has compiled part of the path.
 *   <li>{@code NAME} and {@code NAME.p99}: at the JIT's steady state ({@link
 *       Harness#warmUpToSteadyState}), what a long-running service sees once its restart path is
 *       compiled, and what JMH would measure: {@link #WINDOWS} windows of Erlang's timed count,
 *       {@link #SPACING_MS} ms of untimed kills apart; each window's median and p99 are taken as
 *       Erlang takes them from its one window, and the figure is the median over the windows.
 *       {@code NAME.pooled.p99} is the p99 of all windows' kills together.
 * </ol>
 *
 * <p>Why many windows: one window of 1,000 consecutive kills lasts a few milliseconds, so one GC,
 * JIT event or slow stretch can make all of it; the median over windows spread across 10 s is the
 * typical window, and the pooled p99 keeps the rare slow kills in view. Two kinds of slow stretch
 * were found on our 2-core machines. Page faults: a restart allocates, and without {@code
 * -XX:+AlwaysPreTouch} ({@code bench/run.sh} sets it) the kernel maps each page of the fresh heap
 * on first use, ~100,000 faults a second for the first ~15 s of kills, at 10-17 us per restart
 * instead of 3-5 us. And, with no page faults and few context switches, windows at ~10 us for
 * seconds at a time in about one fresh JVM of three; with one carrier ({@code
 * -Djdk.virtualThreadScheduler.parallelism=1}) every window took 1.9-3.5 us, so the likely cause
 * is the relay's steps running on alternate cores and taking their data across with them.
 */
final class KillLoop {
  /** Kills one server; returns its successor once a call to it has answered. */
  @FunctionalInterface
  interface Step {
    Pid next(Pid server) throws Exception;
  }

  /** Kills between the cold and the .warm5k figure, as the JVM anchor's warm-up. */
  static final int ANCHOR_WARMUP = 5000;

  /** Kills per round while warming up to steady state. */
  private static final int ROUND = 5000;

  /** Windows of the cold protocol's timed count that make up the steady-state figures. */
  static final int WINDOWS = 20;

  /** Milliseconds of untimed kills between two steady-state windows. */
  static final long SPACING_MS = 500;

  /** What {@link #measure} found. */
  record Result(Latencies cold, Latencies warm5k, List<Latencies> windows, Latencies pooled) {}

  private final Step step;
  private Pid server;

  KillLoop(Pid first, Step step) {
    this.server = first;
    this.step = step;
  }

  /** Runs {@code n} kills; records them in {@code into} unless it is null. {@return elapsed ns} */
  long run(int n, Latencies into) throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      server = step.next(server);
      if (into != null) {
        into.record(System.nanoTime() - t0);
      }
    }
    return System.nanoTime() - start;
  }

  /** Runs the three protocols. Call from the bench process; print with {@link #print}. */
  Result measure(String name, int coldWarmUp, int timed) throws Exception {
    Latencies cold = new Latencies();
    Latencies warm5k = new Latencies();
    run(coldWarmUp, null);
    run(timed, cold);
    run(ANCHOR_WARMUP, null);
    run(timed, warm5k);
    Harness.warmUpToSteadyState(name, ROUND, n -> run(n, null));
    List<Latencies> windows = new ArrayList<>();
    Latencies pooled = new Latencies();
    for (int i = 0; i < WINDOWS; i++) {
      long until = System.nanoTime() + SPACING_MS * 1_000_000;
      while (System.nanoTime() - until < 0) {
        run(100, null);
      }
      Latencies w = new Latencies();
      run(timed, w);
      windows.add(w);
      pooled.add(w);
    }
    return new Result(cold, warm5k, windows, pooled);
  }

  /** Prints what {@link #measure} found, from outside the bench process. */
  static void print(String name, Result r) {
    r.cold().note(name + ".cold");
    Harness.out(name + ".cold", r.cold().percentile(50), "ns");
    r.warm5k().note(name + ".warm5k");
    Harness.out(name + ".warm5k", r.warm5k().percentile(50), "ns");
    double[] p50 = r.windows().stream().mapToDouble(w -> w.percentile(50)).toArray();
    double[] p99 = r.windows().stream().mapToDouble(w -> w.percentile(99)).toArray();
    Harness.note(name + " per window p50", p50);
    Harness.note(name + ".p99 per window", p99);
    r.pooled().note(name + ".pooled");
    Harness.out(name, Harness.median(p50), "ns");
    Harness.out(name + ".p99", Harness.median(p99), "ns");
    Harness.out(name + ".pooled.p99", r.pooled().percentile(99), "ns");
  }
}
