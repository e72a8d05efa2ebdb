// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.table.Access;
import dev.coppice.table.Table;
import dev.coppice.table.TableTransfer;

/**
 * {@code coppice.table.handover.10} and {@code .1m}: what the heir handover itself costs, apart
 * from the restart around it. A process owns a table of 10 or 1,000,000 rows with itself as heir
 * and gives it to a fresh owner process; then it kills that owner and times until the table's
 * TableTransfer is in its own mailbox (the kill runs the owner's exit on the killer's thread, so
 * no wake-up is timed, only the exit and the handover). Median of 2,000 after 5,000 warm-up
 * rounds. The seed scenario's requirement that a transfer costs the same for 10 rows and for
 * 1,000,000 is read off these two.
 */
public final class Handover implements Figure {
  private static final int WARMUP = 5000;
  private static final int N = 2000;

  /** The new owner has its table. */
  record Owned() {}

  @Override
  public String id() {
    return "handover";
  }

  @Override
  public String suite() {
    return "core";
  }

  @Override
  public void run() throws Exception {
    measure(10, "coppice.table.handover.10");
    measure(1_000_000, "coppice.table.handover.1m");
  }

  private static void measure(int rows, String name) throws Exception {
    try (Node node = Node.start()) {
      Latencies lat = new Latencies();
      CallRoundTrip.inProcess(
          node,
          () -> {
            Pid self = Processes.self();
            Table<Integer, TableOps.Val> table =
                Table.<Integer, TableOps.Val>builder()
                    .access(Access.PROTECTED)
                    .heir(self, "back")
                    .create();
            for (int i = 0; i < rows; i++) {
              table.insert(i, new TableOps.Val(i, i));
            }
            for (int i = 0; i < WARMUP + N; i++) {
              Pid owner =
                  Processes.spawn(
                      () -> {
                        Processes.receive(TableTransfer.class);
                        Processes.send(self, new Owned());
                        Processes.receive();
                      });
              table.giveAway(owner, "yours");
              Processes.receive(Owned.class);
              long t0 = System.nanoTime();
              Processes.exit(owner, ExitReason.KILL);
              TableTransfer back = Processes.receive(TableTransfer.class);
              long dt = System.nanoTime() - t0;
              if (back.table() != table || table.size() != rows) {
                throw new AssertionError("the table did not come back whole: " + back);
              }
              if (i >= WARMUP) {
                lat.record(dt);
              }
            }
            table.delete();
            return 0L;
          });
      lat.note(name);
      Harness.out(name, lat.percentile(50), "ns");
    }
  }
}
