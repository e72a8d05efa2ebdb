// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs figures and prints {@code name value unit} lines, as the anchors do.
 *
 * <pre>
 * java -jar benchmarks.jar core             # the figures of a suite (core, mem)
 * java -jar benchmarks.jar call cast        # figures by id
 * java -jar benchmarks.jar list             # the ids and their suites
 * java -jar benchmarks.jar jmh [JMH args]   # the JMH benchmarks (e.g. jmh -prof gc CallJmh)
 * </pre>
 *
 * bench/run.sh runs each suite in a fresh JVM per run, interleaved with the anchors.
 */
public final class BenchMain {
  private BenchMain() {}

  /**
   * Entry point.
   *
   * @param args suites or figure ids, {@code list}, or {@code jmh} and JMH's arguments
   * @throws Exception if a figure fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length == 0 || args[0].equals("list")) {
      for (Figure f : Figures.ALL) {
        System.out.println(f.id() + " (suite " + f.suite() + ")");
      }
      return;
    }
    List<Figure> chosen = new ArrayList<>();
    for (String a : args) {
      int before = chosen.size();
      for (Figure f : Figures.ALL) {
        if ((f.id().equals(a) || f.suite().equals(a)) && !chosen.contains(f)) {
          chosen.add(f);
        }
      }
      if (chosen.size() == before) {
        throw new IllegalArgumentException("no figure or suite '" + a + "'; try 'list'");
      }
    }
    for (Figure f : chosen) {
      long t0 = System.nanoTime();
      f.run();
      Harness.note(f.id() + " took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
  }
}
