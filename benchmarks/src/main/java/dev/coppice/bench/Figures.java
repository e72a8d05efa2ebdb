// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import java.util.List;

/**
 * Every figure the runner knows, in run order. To add one: write a class implementing {@link
 * Figure} (one class per figure, named after it), add it here, and add its row to {@code
 * bench/table.py} (the figure's name, the anchors it is compared with and the goal).
 *
 * <p>Still to come, when their modules land (bench/table.py already has their rows, keyed by
 * these names, showing "n/a (module pending)" until then):
 *
 * <ul>
 *   <li>{@code RestartToCall}, suite core, prints {@code coppice.sup.restart_to_call} (ns, median;
 *       and {@code .p99}): a one_for_one supervisor with a permanent echo child that notifies the
 *       bench process from init; kill the child, time until a call to the restarted one returns;
 *       100 warm-up kills then 1,000 timed, as {@code erl.sup.restart_to_call}. Use {@link
 *       Latencies} for the percentiles.
 *   <li>{@code TableOps}, suite mem, prints {@code coppice.table.set.insert.1t}, {@code
 *       coppice.table.set.lookup.1t}, {@code .2t} and {@code coppice.table.oset.lookup.1t}
 *       (ops/s): 1M keys {@code (i * 7919) % N} inserted, lookups of {@code (i * 104729) % N},
 *       from 1 and 2 threads, as {@code erl.ets.*} and {@code raw.chm.*}.
 *   <li>{@code SeedScenario}, suite mem, prints {@code coppice.seed.heir.kill_to_lookup.1m} and
 *       {@code .10} (ns) and {@code coppice.seed.rebuild.kill_to_lookup} (ms): kill the table's
 *       owner under its supervisor, time until the next lookup through the restarted server
 *       succeeds, with the heir handing the table over, as {@code erl.seed.*} (20 warm-up kills,
 *       200 timed; rebuild: 1 + 5).
 * </ul>
 */
public final class Figures {
  private Figures() {}

  /** The figures, in the order they run within their suite. */
  public static final List<Figure> ALL =
      List.of(new CallRoundTrip(), new CastThroughput(), new SpawnIdle(), new GenServerHeap());
}
