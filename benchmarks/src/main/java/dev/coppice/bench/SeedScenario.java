// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.Ticker;
import dev.coppice.core.genserver.From;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;
import dev.coppice.core.genserver.ServerName;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.core.genserver.StartOptions;
import dev.coppice.supervisor.AutoShutdown;
import dev.coppice.supervisor.ChildSpec;
import dev.coppice.supervisor.Scheduler;
import dev.coppice.supervisor.Strategy;
import dev.coppice.supervisor.Supervisor;
import dev.coppice.supervisor.SupervisorFlags;
import dev.coppice.table.Table;
import dev.coppice.table.TableTransfer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The seed article's scenario, as {@code erl.seed.*} ({@code ab_master.erl}, {@code ab_srv.erl},
 * {@code ab_sup.erl}): under a one_for_one supervisor, a master creates a table of N rows with
 * itself as heir and gives it to the server on request; kill the server and time until a lookup
 * through the restarted server succeeds (the restarted server's init asks the master for the
 * table, which came back to it through the heir, then says it is up). Median of 200 timed kills:
 * {@code coppice.seed.heir.kill_to_lookup.1m} and {@code .10} (10 rows: the handover must not
 * depend on the table's size), each with {@link KillLoop}'s three warm-ups from one fresh JVM:
 * {@code .cold} follows Erlang's protocol to the letter (20 warm-up kills, 200 timed), {@code
 * .warm5k} the JVM anchor's 5,000 warm-up kills, and the headline is taken at the JIT's steady
 * state. Then the alternative without an heir: the restarted server rebuilds its N rows in init;
 * 1 + 5 kills: {@code coppice.seed.rebuild.kill_to_lookup} (ms).
 */
public final class SeedScenario implements Figure {
  static final String MASTER = "bench_master";
  static final int KEY = 4242; // as ab_srv; with 10 rows, KEY % 10

  record Up(Pid server) {}

  record GetTable(Pid caller, From<Table<Integer, TableOps.Val>> from) {}

  record Get(int key, From<Optional<TableOps.Val>> from) {}

  /** ab_master: owns the table between servers. */
  static final class Master {
    Table<Integer, TableOps.Val> table;
    boolean owned = true;
    GetTable waiting;
  }

  static final class MasterServer implements GenServer<Master, GetTable, Object> {
    private final int rows;

    MasterServer(int rows) {
      this.rows = rows;
    }

    @Override
    public Init<Master> init() {
      Master m = new Master();
      m.table = Table.<Integer, TableOps.Val>builder().heir(Processes.self(), "none").create();
      fill(m.table, rows);
      return Init.ok(m);
    }

    @Override
    public Next<Master> handleCall(GetTable request, Master m) {
      if (m.owned) {
        m.table.giveAway(request.caller(), "none");
        m.owned = false;
        return Next.reply(request.from(), m.table, m);
      }
      m.waiting = request; // the table is on its way back: answer when it arrives
      return Next.noreply(m);
    }

    @Override
    public Next<Master> handleInfo(Object message, Master m) {
      if (message instanceof TableTransfer) {
        m.owned = true;
        GetTable w = m.waiting;
        if (w != null) {
          m.waiting = null;
          m.table.giveAway(w.caller(), "none");
          m.owned = false;
          w.from().reply(m.table);
        }
      }
      return Next.noreply(m);
    }
  }

  /** ab_srv {heir_server, Pid} and {rebuild_server, Pid, N}. */
  static final class SeedServer implements GenServer<Table<Integer, TableOps.Val>, Get, Object> {
    private final Pid notify;
    private final int rebuildRows; // 0: take the master's table

    SeedServer(Pid notify, int rebuildRows) {
      this.notify = notify;
      this.rebuildRows = rebuildRows;
    }

    @Override
    public Init<Table<Integer, TableOps.Val>> init() {
      Table<Integer, TableOps.Val> t;
      if (rebuildRows == 0) {
        Pid self = Processes.self();
        t =
            ServerRef.named(Processes.node(), new ServerName<GetTable, Object>(MASTER))
                .call(from -> new GetTable(self, from), ServerRef.INFINITY);
      } else {
        t = Table.<Integer, TableOps.Val>builder().create();
        fill(t, rebuildRows);
      }
      Processes.send(notify, new Up(Processes.self()));
      return Init.ok(t);
    }

    @Override
    public Next<Table<Integer, TableOps.Val>> handleCall(Get request, Table<Integer, TableOps.Val> t) {
      return Next.reply(request.from(), t.lookup(request.key()), t);
    }

    @Override
    public Next<Table<Integer, TableOps.Val>> handleInfo(Object message, Table<Integer, TableOps.Val> t) {
      return Next.noreply(t); // the TableTransfer of the give-away
    }
  }

  static void fill(Table<Integer, TableOps.Val> t, int rows) {
    for (int i = 0; i < rows; i++) {
      t.insert(i, new TableOps.Val(i, i));
    }
  }

  @Override
  public String id() {
    return "seed";
  }

  @Override
  public String suite() {
    return "core";
  }

  @Override
  public void run() throws Exception {
    heir(1_000_000, "coppice.seed.heir.kill_to_lookup.1m");
    heir(10, "coppice.seed.heir.kill_to_lookup.10");
    rebuild(1_000_000);
  }

  static SupervisorFlags flags() {
    return new SupervisorFlags(
        Strategy.ONE_FOR_ONE,
        1_000_000_000,
        Duration.ofSeconds(1),
        AutoShutdown.NEVER,
        Ticker.system(),
        Scheduler.timers());
  }

  static void heir(int rows, String name) throws Exception {
    try (Node node = Node.start()) {
      KillLoop.Result[] result = new KillLoop.Result[1];
      CallRoundTrip.inProcess(
          node,
          () -> {
            Pid self = Processes.self();
            Supervisor sup =
                Supervisor.start(
                        node,
                        flags(),
                        List.of(
                            ChildSpec.worker(
                                "master",
                                () -> GenServer.startLink(new MasterServer(rows), StartOptions.named(MASTER))),
                            ChildSpec.worker("srv", () -> GenServer.startLink(new SeedServer(self, 0)))))
                    .orElseThrow();
            KillLoop loop =
                new KillLoop(
                    Processes.receive(Up.class).server(), server -> killAndLookup(server, KEY % rows));
            result[0] = loop.measure(name, 20, 200);
            sup.stop();
            return 0L;
          });
      KillLoop.print(name, result[0]);
    }
  }

  static void rebuild(int rows) throws Exception {
    try (Node node = Node.start()) {
      double[] ms = new double[5];
      CallRoundTrip.inProcess(
          node,
          () -> {
            Pid self = Processes.self();
            Supervisor sup =
                Supervisor.start(
                        node,
                        flags(),
                        List.of(ChildSpec.worker("srv", () -> GenServer.startLink(new SeedServer(self, rows)))))
                    .orElseThrow();
            Pid server = Processes.receive(Up.class).server();
            for (int i = -1; i < ms.length; i++) {
              long t0 = System.nanoTime();
              server = killAndLookup(server, KEY);
              if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
              }
            }
            sup.stop();
            return 0L;
          });
      Harness.note("coppice.seed.rebuild.kill_to_lookup", ms);
      Harness.out("coppice.seed.rebuild.kill_to_lookup", Harness.median(ms), "ms");
    }
  }

  /** Kills the server, waits for its successor, looks the key up through it; the new server. */
  static Pid killAndLookup(Pid server, int key) {
    Processes.exit(server, ExitReason.KILL);
    Pid next = Processes.receive(Up.class).server();
    Optional<TableOps.Val> v = ServerRef.<Get, Object>of(next).call(from -> new Get(key, from));
    if (v.isEmpty() || v.get().a() != key) {
      throw new AssertionError("lookup through the restarted server failed: " + v);
    }
    return next;
  }
}
