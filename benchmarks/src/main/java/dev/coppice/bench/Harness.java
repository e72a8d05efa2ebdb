// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The measuring loop shared by every figure. It is the loop of the JVM anchors
 * ({@code shared/anchors/raw/.../RawAnchors.java} and {@code pekko/.../PekkoAnchors.java}), so a
 * ratio between a coppice figure and an anchor compares like with like: calibrate the operation
 * count so one round takes about {@link #TARGET_MS}, run two warm-up rounds, then {@link #ROUNDS}
 * timed rounds, and report the median round. Output is the anchors' format: one line {@code name
 * value unit} per figure on stdout, notes (every round's value) as {@code # ...} lines on stderr.
 */
public final class Harness {
  /** Milliseconds one calibrated round should take ({@code -Dtarget.ms}, default 250 as the anchors). */
  public static final long TARGET_MS = Long.getLong("target.ms", 250);

  /** Timed rounds per figure ({@code -Drounds}, default 5 as the anchors). */
  public static final int ROUNDS = Integer.getInteger("rounds", 5);

  private Harness() {}

  /** One round of a figure: runs {@code n} operations and returns the elapsed nanoseconds. */
  @FunctionalInterface
  public interface Timed {
    /**
     * Runs the operations.
     *
     * @param n how many
     * @return elapsed nanoseconds
     * @throws Exception if the round fails
     */
    long run(int n) throws Exception;
  }

  /**
   * Calibrates n so one round takes ~TARGET_MS, runs 2 warm-up rounds and ROUNDS timed ones.
   *
   * @param t the round
   * @return nanoseconds per operation of each timed round
   * @throws Exception if a round fails
   */
  public static double[] perOpRounds(Timed t) throws Exception {
    int n = 10_000;
    long ns = t.run(n);
    while (ns < 20_000_000L && n < 100_000_000) {
      n *= 4;
      ns = t.run(n);
    }
    double perOp = (double) ns / n;
    n = (int) Math.max(10_000, Math.min(100_000_000, TARGET_MS * 1e6 / perOp));
    t.run(n);
    t.run(n);
    double[] r = new double[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      r[i] = (double) t.run(n) / n;
    }
    return r;
  }

  /**
   * Runs a latency figure with {@link #perOpRounds} and prints the median ns per operation.
   *
   * @param name the figure's name
   * @param t one round
   * @throws Exception if a round fails
   */
  public static void latency(String name, Timed t) throws Exception {
    double[] r = perOpRounds(t);
    note(name, r);
    out(name, median(r), "ns/op");
  }

  /**
   * Runs a throughput figure with {@link #perOpRounds} and prints the median operations per
   * second.
   *
   * @param name the figure's name
   * @param unit its unit, e.g. {@code msg/s}
   * @param t one round
   * @throws Exception if a round fails
   */
  public static void throughput(String name, String unit, Timed t) throws Exception {
    double[] r = perOpRounds(t);
    double[] ops = Arrays.stream(r).map(x -> 1e9 / x).toArray();
    note(name, ops);
    out(name, median(ops), unit);
  }

  /** {@return the median; for an even count the lower middle, as the anchors} */
  public static double median(double[] r) {
    double[] s = r.clone();
    Arrays.sort(s);
    return s[(s.length - 1) / 2];
  }

  /** Prints one figure line. */
  public static void out(String name, double v, String unit) {
    System.out.printf(Locale.ROOT, "%s %.1f %s%n", name, v, unit);
    System.out.flush();
  }

  /** Prints the rounds of a figure as a note on stderr. */
  public static void note(String name, double[] r) {
    StringBuilder sb = new StringBuilder("# ").append(name).append(" rounds");
    for (double x : r) {
      sb.append(' ').append(Math.round(x));
    }
    System.err.println(sb);
  }

  /** Prints a free-form note on stderr. */
  public static void note(String text) {
    System.err.println("# " + text);
  }

  /**
   * Seconds a warm-up lasts at least ({@code -Dwarmup.minS}, default 10: one of JMH's default
   * warm-up iterations).
   */
  static final long WARMUP_MIN_S = Long.getLong("warmup.minS", 10);

  /**
   * Milliseconds of JIT compilation a warm-up round may contain and still count as quiet ({@code
   * -Dwarmup.quietMs}, default 1).
   */
  static final long QUIET_MS = Long.getLong("warmup.quietMs", 1);

  /** Quiet rounds in a row that end a warm-up ({@code -Dwarmup.quietRounds}, default 3). */
  static final int QUIET_ROUNDS = Integer.getInteger("warmup.quietRounds", 3);

  /** Seconds after which a warm-up ends even if the JIT is still busy ({@code -Dwarmup.capS}). */
  static final long WARMUP_CAP_S = Long.getLong("warmup.capS", 60);

  /**
   * Warms a latency figure up to the JIT's steady state, as JMH's warm-up iterations do: runs
   * {@code round} ({@code perRound} operations) for at least {@link #WARMUP_MIN_S} seconds and
   * then until {@link #QUIET_ROUNDS} rounds in a row each contained at most {@link #QUIET_MS} ms
   * of compilation (the JVM's {@code CompilationMXBean}), or until {@link #WARMUP_CAP_S} seconds
   * have passed. A path that runs once per operation (a restart) needs over 100,000 operations
   * before C2 has compiled all of it (the JIT also pauses between compilations while invocation
   * counters climb, so a quiet JIT alone does not mean it is done); a fixed, small count of
   * warm-up operations measures an arbitrary mix of interpreted, C1 and C2 code instead.
   *
   * <p>Prints a note with the operations and time the warm-up took, and whether it ended with
   * the JIT quiet; returns the operations run.
   *
   * @param name the figure's name, for the note
   * @param perRound operations per round
   * @param round runs {@code n} operations
   * @return the number of warm-up operations run
   * @throws Exception if a round fails
   */
  public static long warmUpToSteadyState(String name, int perRound, Timed round) throws Exception {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean canTell = jit != null && jit.isCompilationTimeMonitoringSupported();
    long start = System.nanoTime();
    long minNanos = WARMUP_MIN_S * 1_000_000_000L;
    long capNanos = Math.max(minNanos, WARMUP_CAP_S * 1_000_000_000L);
    long ops = 0;
    int quiet = 0;
    long compiled = canTell ? jit.getTotalCompilationTime() : 0;
    long elapsed = 0;
    while ((elapsed < minNanos || (canTell && quiet < QUIET_ROUNDS)) && elapsed < capNanos) {
      round.run(perRound);
      ops += perRound;
      if (canTell) {
        long now = jit.getTotalCompilationTime();
        quiet = now - compiled <= QUIET_MS ? quiet + 1 : 0;
        compiled = now;
      }
      elapsed = System.nanoTime() - start;
    }
    note(
        String.format(
            Locale.ROOT,
            "%s warm-up: %d operations in %d ms, %s",
            name,
            ops,
            elapsed / 1_000_000,
            !canTell
                ? "no JIT compile-time monitoring: time only"
                : quiet >= QUIET_ROUNDS
                    ? "then the JIT was quiet for " + QUIET_ROUNDS + " rounds of " + perRound
                    : "JIT still compiling at the " + WARMUP_CAP_S + " s cap: NOT steady state"));
    return ops;
  }

  /** Three full collections with pauses, as the anchors do before reading the heap. */
  public static void gc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
  }

  /** {@return the used heap in bytes, as the anchors read it} */
  public static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
