// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import dev.coppice.core.Pid;

/**
 * Kills a supervised server again and again, timing each kill until a call to its successor has
 * answered, and reports the figure under three warm-ups from one fresh JVM, in this order:
 *
 * <ol>
 *   <li>{@code NAME.cold}: Erlang's protocol to the letter ({@code coldWarmUp} kills, then {@code
 *       timed} timed ones). The JIT has compiled little of the restart path by then.
 *   <li>{@code NAME.warm5k}: after 5,000 more kills, the JVM anchor's warm-up ({@code
 *       pekko.sup.restart_to_reply}). C2 has compiled part of the path.
 *   <li>{@code NAME} and {@code NAME.p99}: at the JIT's steady state ({@link
 *       Harness#warmUpToSteadyState}), what a long-running service sees once its restart path is
 *       compiled, and what JMH would measure: {@link #STEADY_SAMPLES} samples of Erlang's timed
 *       count, {@link #SPACING_MS} ms of untimed kills apart, pooled.
 * </ol>
 *
 * <p>Why several spaced samples at steady state: on 2 cores the JDK's scheduler settles for tens
 * or hundreds of milliseconds at a time into one regime or another: the relay of wake-ups
 * alternating between both carriers (each picks the next step up while still spinning for work),
 * or staying on one while the other is woken for nothing at every step (an inter-processor
 * interrupt each time, expensive on a virtual machine). One run of consecutive kills lands in
 * one regime; samples spread over a few seconds describe the mixture a long-running service sees
 * (the slower regimes then show in the p99).
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

  /** Samples of the cold protocol's timed count that make up the steady-state figure. */
  static final int STEADY_SAMPLES = 20;

  /** Milliseconds of untimed kills between two steady-state samples. */
  static final long SPACING_MS = 500;

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

  /**
   * Runs the three protocols and returns their latencies: cold, warm5k, steady. Call from the
   * bench process; print with {@link #print}.
   */
  Latencies[] measure(String name, int coldWarmUp, int timed) throws Exception {
    Latencies cold = new Latencies();
    Latencies warm5k = new Latencies();
    Latencies steady = new Latencies();
    run(coldWarmUp, null);
    run(timed, cold);
    run(ANCHOR_WARMUP, null);
    run(timed, warm5k);
    Harness.warmUpToSteadyState(name, ROUND, n -> run(n, null));
    for (int i = 0; i < STEADY_SAMPLES; i++) {
      long until = System.nanoTime() + SPACING_MS * 1_000_000;
      while (System.nanoTime() - until < 0) {
        run(100, null);
      }
      run(timed, steady);
    }
    return new Latencies[] {cold, warm5k, steady};
  }

  /** Prints what {@link #measure} returned, from outside the bench process. */
  static void print(String name, Latencies[] l) {
    l[0].note(name + ".cold");
    Harness.out(name + ".cold", l[0].percentile(50), "ns");
    l[1].note(name + ".warm5k");
    Harness.out(name + ".warm5k", l[1].percentile(50), "ns");
    l[2].note(name);
    Harness.out(name, l[2].percentile(50), "ns");
    Harness.out(name + ".p99", l[2].percentile(99), "ns");
  }
}
