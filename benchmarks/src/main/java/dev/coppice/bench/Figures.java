// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import java.util.List;

/**
 * Every figure the runner knows, in run order. To add one: write a class implementing {@link
 * Figure} (one class per figure, named after it), add it here, and add its row to {@code
 * bench/table.py} (the figure's name, the anchors it is compared with and the goal).
 *
 * <p>Still to come, when their modules land: {@code RestartToCall} (supervisor: kill a supervised
 * echo server, time until a call to the restarted one succeeds; anchor {@code
 * erl.sup.restart_to_call}), {@code TableOps} (set insert/lookup with 1 and 2 threads, ordered
 * set lookup; anchors {@code erl.ets.*}) and {@code SeedScenario} (kill the table's owner, time
 * until the next lookup succeeds through the heir, with 10 and 1M rows; anchor {@code
 * erl.seed.heir.kill_to_lookup}).
 */
public final class Figures {
  private Figures() {}

  /** The figures, in the order they run within their suite. */
  public static final List<Figure> ALL =
      List.of(new CallRoundTrip(), new CastThroughput(), new SpawnIdle(), new GenServerHeap());
}
