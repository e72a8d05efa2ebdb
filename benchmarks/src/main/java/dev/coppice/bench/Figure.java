// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

/**
 * One figure (or a small family of figures measured together) of the benchmark table. Each
 * implementation measures exactly what the matching anchor measures (say which one in its
 * javadoc) and prints its lines through {@link Harness#out}. Register it in {@link Figures#ALL}.
 */
public interface Figure {
  /** {@return the id used on the command line, e.g. {@code call}} */
  String id();

  /**
   * {@return the suite it runs in: each suite runs in a fresh JVM per run; {@code core} for the
   * message-passing figures, {@code mem} for those that start a million processes}
   */
  String suite();

  /**
   * Measures and prints the figure's lines.
   *
   * @throws Exception if the measurement fails
   */
  void run() throws Exception;
}
