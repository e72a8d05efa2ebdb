// SPDX-License-Identifier: Apache-2.0
package dev.coppice.sample.databackup;

import dev.coppice.core.Down;
import dev.coppice.core.ExitReason;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.CallException;
import dev.coppice.core.genserver.ServerRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The demo's experiment, usable from tests: concurrent client processes write and read through
 * the data server while the calling process kills the server again and again, in turns by a crash
 * in a callback, an untrappable kill, and an exit signal that skips terminate. It measures the
 * time from each kill to the next successful {@code getData}, counts reads that failed outside a
 * restart window, and at the end checks every acknowledged write.
 *
 * <p>Must be called from within a process (it monitors, calls and kills).
 */
public final class CrashLoop {

  /** The ways the loop kills the server, used in turn. */
  public enum Kill {
    /** {@code handleCast} throws: a crash inside a callback; terminate runs. */
    CRASH_IN_CALLBACK,
    /** {@code exit(pid, kill)}: untrappable, terminate does not run. */
    EXIT_KILL,
    /** {@code exit(pid, boom)} to a server that does not trap exits: terminate does not run. */
    EXIT_SIGNAL
  }

  /**
   * What one run of the loop saw.
   *
   * @param variant the variant
   * @param kills how many times the server was killed
   * @param ackedWrites writes whose call returned
   * @param lostWrites acknowledged writes not found (or found changed) at the end
   * @param readsOk getData calls that returned
   * @param readsFailedInWindow getData calls that failed while the server was restarting
   * @param readsFailedOutside getData calls that failed while no restart was under way
   * @param directReads reads straight from the table (heir variant only)
   * @param directReadFailures direct reads that did not find a seeded record
   * @param recoveryNanos kill → next successful getData, per kill
   * @param dbLoads full loads from the database during the run, the first start included
   */
  public record Result(
      Variant variant,
      int kills,
      long ackedWrites,
      long lostWrites,
      long readsOk,
      long readsFailedInWindow,
      long readsFailedOutside,
      long directReads,
      long directReadFailures,
      Histogram recoveryNanos,
      long dbLoads) {}

  private final Node node;
  private final Variant variant;
  private final long records;
  private final int clients;
  private final Duration pause;
  private volatile boolean stop;
  private volatile boolean recovering;
  private final AtomicLong crashSeq = new AtomicLong();
  private final AtomicLong readsOk = new AtomicLong();
  private final AtomicLong failedIn = new AtomicLong();
  private final AtomicLong failedOut = new AtomicLong();
  private final AtomicLong directReads = new AtomicLong();
  private final AtomicLong directFailures = new AtomicLong();
  private final AtomicLong nextWriteId;
  private final Map<Long, String> acked = new ConcurrentHashMap<>();

  /**
   * A loop over the running app of {@code variant}.
   *
   * @param node the node the app runs on
   * @param variant which app it is
   * @param records how many records the database was seeded with (ids 1..records)
   * @param clients how many client processes
   * @param pause how long clients run between two kills
   */
  public CrashLoop(Node node, Variant variant, long records, int clients, Duration pause) {
    this.node = node;
    this.variant = variant;
    this.records = records;
    this.clients = clients;
    this.pause = pause;
    this.nextWriteId = new AtomicLong(records + 1);
  }

  /**
   * Runs the loop: starts the clients, kills the server {@code kills} times, stops the clients
   * and checks the acknowledged writes.
   *
   * @param kills how many kills
   * @param db the database, for its load count
   * @return what it saw
   */
  public Result run(int kills, Database db) {
    ServerRef<DataCall, DataCast> server = DataBackup.server(node);
    List<MonitorRef> clientRefs = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      clientRefs.add(Processes.monitor(Processes.spawn(() -> client(server))));
    }
    Histogram recovery = new Histogram(3_600_000_000_000L, 3);
    Kill[] ways = Kill.values();
    for (int k = 0; k < kills; k++) {
      LockSupport.parkNanos(pause.toNanos());
      Pid victim = server.whereis().orElseThrow(() -> new IllegalStateException("no server"));
      recovering = true;
      crashSeq.incrementAndGet();
      long t0 = System.nanoTime();
      switch (ways[k % ways.length]) {
        case CRASH_IN_CALLBACK -> server.cast(DataCast.CRASH);
        case EXIT_KILL -> Processes.exit(victim, ExitReason.KILL);
        case EXIT_SIGNAL -> Processes.exit(victim, ExitReason.other("boom"));
      }
      long t1 = awaitRecovery(server, victim);
      recovery.recordValue(t1 - t0);
      recovering = false;
    }
    stop = true;
    for (MonitorRef ref : clientRefs) {
      Processes.receive(Down.class, d -> d.ref() == ref, Duration.ofSeconds(30));
    }
    long lost = 0;
    for (Map.Entry<Long, String> w : acked.entrySet()) {
      Optional<String> now = getWithRetry(server, w.getKey());
      if (!now.equals(Optional.of(w.getValue()))) {
        lost++;
      }
    }
    return new Result(
        variant,
        kills,
        acked.size(),
        lost,
        readsOk.get(),
        failedIn.get(),
        failedOut.get(),
        directReads.get(),
        directFailures.get(),
        recovery,
        db.loads());
  }

  /** Waits until a server other than {@code victim} answers getData; returns that moment. */
  private long awaitRecovery(ServerRef<DataCall, DataCast> server, Pid victim) {
    long probe = 1 + ThreadLocalRandom.current().nextLong(records);
    long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    for (; ; ) {
      Optional<Pid> now = server.whereis();
      if (now.isPresent() && !now.get().equals(victim)) {
        try {
          server.<Optional<String>>call(from -> new DataCall.GetData(probe, from));
          return System.nanoTime();
        } catch (CallException e) {
          // the new server is not answering yet
        }
      }
      if (System.nanoTime() - giveUp > 0) {
        throw new IllegalStateException("the server did not come back within 2 minutes");
      }
      Thread.onSpinWait();
    }
  }

  private Optional<String> getWithRetry(ServerRef<DataCall, DataCast> server, long id) {
    for (int attempt = 0; ; attempt++) {
      try {
        return server.call(from -> new DataCall.GetData(id, from));
      } catch (CallException e) {
        if (attempt > 10_000) {
          throw e;
        }
        LockSupport.parkNanos(100_000);
      }
    }
  }

  private void client(ServerRef<DataCall, DataCast> server) {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    while (!stop) {
      long seq = crashSeq.get();
      boolean inWindowAtStart = recovering;
      boolean write = rnd.nextInt(4) == 0;
      try {
        if (write) {
          long id = nextWriteId.getAndIncrement();
          String data = "written-" + id;
          server.<Boolean>call(from -> new DataCall.InsertData(id, data, from));
          acked.put(id, data);
        } else {
          long id = 1 + rnd.nextLong(records);
          server.<Optional<String>>call(from -> new DataCall.GetData(id, from));
          readsOk.incrementAndGet();
        }
      } catch (CallException e) {
        if (!write) {
          if (inWindowAtStart || recovering || crashSeq.get() != seq) {
            failedIn.incrementAndGet();
          } else {
            failedOut.incrementAndGet();
          }
        }
        LockSupport.parkNanos(20_000); // back off a little while the server restarts
      }
      if (variant == Variant.HEIR) {
        long id = 1 + rnd.nextLong(records);
        directReads.incrementAndGet();
        if (DataBackup.readDirect(node, id).isEmpty()) {
          directFailures.incrementAndGet();
        }
      }
      LockSupport.parkNanos(50_000); // a client does other work between requests
    }
  }
}
