// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import dev.coppice.core.Node;
import dev.coppice.core.Processes;
import dev.coppice.table.Access;
import dev.coppice.table.Table;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Table figures, as {@code erl.ets.*} measures ETS ({@code anchors.erl}, {@code ets_suite}) and
 * {@code raw.chm.*}/{@code raw.cslm.*} the JDK maps: N = 1,000,000 keys; inserts of {@code (i *
 * 7919) % N} into a fresh public table with read concurrency on (1 warm-up round, then 5 for a set,
 * 3 for an ordered_set); lookups of {@code (i * 104729) % N} in a full table, each of P processes
 * doing N of them from its own offset (1 + 5 rounds, 1 + 3 for an ordered_set); ops per second.
 * Writers and readers are processes released together, as Erlang's {@code par/2}. Values are
 * small records, as ETS's {@code {K, {K, K}}}; the lookup is {@link Table#lookup}, ETS's {@code
 * lookup}.
 *
 * <p>Prints {@code coppice.table.set.insert.1t}, {@code coppice.table.set.lookup.1t}, {@code .2t}
 * and {@code coppice.table.oset.lookup.1t}.
 */
public final class TableOps implements Figure {
  static final int N = 1_000_000;

  /** A stored value. */
  record Val(int a, int b) {}

  @FunctionalInterface
  interface Job {
    void run(int j);
  }

  static volatile long sink;

  @Override
  public String id() {
    return "table";
  }

  @Override
  public String suite() {
    return "core";
  }

  @Override
  public void run() throws Exception {
    Integer[] ins = new Integer[N];
    Integer[] look = new Integer[N];
    for (int i = 0; i < N; i++) {
      ins[i] = Integer.valueOf((int) ((long) i * 7919 % N));
      look[i] = Integer.valueOf((int) ((long) i * 104729 % N)); // distinct objects: equals() runs
    }
    try (Node node = Node.start()) {
      CallRoundTrip.inProcess(
          node,
          () -> {
            double[] r = new double[5];
            for (int round = -1; round < r.length; round++) {
              Table<Integer, Val> t = newTable(false);
              long ns = par(node, 1, j -> insertRange(t, ins, 0, N));
              if (t.size() != N) {
                throw new AssertionError("size " + t.size());
              }
              t.delete();
              if (round >= 0) {
                r[round] = N / (ns / 1e9);
              }
            }
            report("coppice.table.set.insert.1t", r);
            Table<Integer, Val> set = newTable(false);
            insertRange(set, ins, 0, N);
            for (int p : new int[] {1, 2}) {
              report("coppice.table.set.lookup." + p + "t", lookups(node, set, look, p, 5));
            }
            set.delete();
            Table<Integer, Val> oset = newTable(true);
            insertRange(oset, ins, 0, N);
            report("coppice.table.oset.lookup.1t", lookups(node, oset, look, 1, 3));
            oset.delete();
            return 0L;
          });
    }
  }

  static Table<Integer, Val> newTable(boolean ordered) {
    Table.Builder<Integer, Val> b = Table.<Integer, Val>builder().access(Access.PUBLIC).readConcurrency(true);
    return (ordered ? b.ordered() : b).create();
  }

  static void insertRange(Table<Integer, Val> t, Integer[] keys, int from, int to) {
    for (int i = from; i < to; i++) {
      Integer k = keys[i];
      t.insert(k, new Val(k, k));
    }
  }

  static double[] lookups(Node node, Table<Integer, Val> t, Integer[] look, int p, int rounds)
      throws Exception {
    double[] r = new double[rounds];
    for (int round = -1; round < rounds; round++) {
      long ns =
          par(
              node,
              p,
              j -> {
                long s = 0;
                for (int c = 0, i = j * N / p; c < N; c++, i++) {
                  if (i == N) {
                    i = 0;
                  }
                  s += t.lookup(look[i]).orElseThrow().a();
                }
                sink += s;
              });
      if (round >= 0) {
        r[round] = (double) p * N / (ns / 1e9);
      }
    }
    return r;
  }

  /** Runs job(j) for j in 0..p-1, each in a process of its own released together; elapsed ns. */
  static long par(Node node, int p, Job job) throws Exception {
    CountDownLatch ready = new CountDownLatch(p);
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(p);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int j = 0; j < p; j++) {
      int jj = j;
      Processes.spawn(
          () -> {
            ready.countDown();
            try {
              go.await();
              job.run(jj);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              failure.compareAndSet(null, e);
            } catch (RuntimeException | Error e) { // the worker's boundary: report it
              failure.compareAndSet(null, e);
            } finally {
              done.countDown();
            }
          });
    }
    ready.await();
    long t0 = System.nanoTime();
    go.countDown();
    done.await();
    long ns = System.nanoTime() - t0;
    if (failure.get() != null) {
      throw new IllegalStateException("a table worker failed", failure.get());
    }
    return ns;
  }

  static void report(String name, double[] r) {
    Harness.note(name, r);
    Harness.out(name, Harness.median(r), "ops/s");
  }
}
