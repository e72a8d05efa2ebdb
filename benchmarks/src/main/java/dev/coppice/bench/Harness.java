// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

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
