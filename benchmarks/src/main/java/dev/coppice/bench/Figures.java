// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import java.util.List;

/**
 * Every figure the runner knows, in run order. To add one: write a class implementing {@link
 * Figure} (one class per figure, named after it), add it here, and add its row to {@code
 * bench/table.py} (the figure's name, the anchors it is compared with and the goal).
 *
 * <p>The table, supervisor and seed figures ({@link TableOps}, {@link RestartToCall}, {@link
 * SeedScenario}) run in the core suite.
 */
public final class Figures {
  private Figures() {}

  /** The figures, in the order they run within their suite. */
  public static final List<Figure> ALL =
      List.of(
          new CallRoundTrip(),
          new CastThroughput(),
          new BoundedCastThroughput(),
          new RestartToCall(),
          new TableOps(),
          new SeedScenario(),
          new Handover(),
          new IdleWake(),
          new SpawnIdle(),
          new GenServerHeap());
}
