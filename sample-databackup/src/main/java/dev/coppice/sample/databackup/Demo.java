// SPDX-License-Identifier: Apache-2.0
package dev.coppice.sample.databackup;

import dev.coppice.core.AttachedProcess;
import dev.coppice.core.Node;
import dev.coppice.supervisor.Supervisor;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo: seeds a database, then for each way of keeping data through a crash (coppice's
 * table with an heir, and the article's two alternatives) starts the app, runs concurrent
 * clients, kills the server again and again, and prints what survived and how fast it came back.
 */
@Command(
    name = "bin/demo",
    mixinStandardHelpOptions = true,
    version = "coppice DataBackup demo 0.1",
    description = {
      "The DataBackup app of the article 'Survive the Fire' on coppice.",
      "A server that owns a big table crashes; its data is back in microseconds instead of "
          + "being reloaded from the database. The demo measures that next to the two "
          + "alternatives the article discusses."
    })
public final class Demo implements Callable<Integer> {

  @Option(
      names = "--records",
      defaultValue = "1000000",
      description = "records to seed the database with (default: ${DEFAULT-VALUE})")
  long records;

  @Option(
      names = "--kills",
      defaultValue = "60",
      description = "times to kill the heir-backed server (default: ${DEFAULT-VALUE})")
  int kills;

  @Option(
      names = "--baseline-kills",
      defaultValue = "6",
      description =
          "times to kill the server of each alternative, which reload the database "
              + "(default: ${DEFAULT-VALUE})")
  int baselineKills;

  @Option(
      names = "--clients",
      defaultValue = "4",
      description = "concurrent client processes (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(
      names = "--pause-ms",
      defaultValue = "100",
      description = "milliseconds of client traffic between two kills (default: ${DEFAULT-VALUE})")
  long pauseMs;

  @Option(
      names = "--jdbc-url",
      defaultValue = Database.DEFAULT_URL,
      description = "the database to seed and load from (default: ${DEFAULT-VALUE})")
  String jdbcUrl;

  @Option(
      names = "--only",
      description = "run only these variants: ${COMPLETION-CANDIDATES} (default: all)",
      split = ",")
  List<Variant> only;

  private final PrintStream out;

  Demo(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the demo.
   *
   * @param args the command line; {@code --help} lists the options
   */
  public static void main(String[] args) {
    int code = new CommandLine(new Demo(System.out)).execute(args);
    System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    if (records < 1 || kills < 1 || baselineKills < 0 || clients < 1 || pauseMs < 0) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--records, --kills and --clients must be at least 1; --baseline-kills and --pause-ms "
              + "must not be negative");
    }
    Database db = new Database(jdbcUrl);
    out.printf(Locale.ROOT, "Seeding %s with %,d records...%n", jdbcUrl, records);
    long t = System.nanoTime();
    db.seed(records, n -> out.printf(Locale.ROOT, "  %,d%n", n));
    out.printf(Locale.ROOT, "  done in %,d ms%n%n", (System.nanoTime() - t) / 1_000_000);

    List<CrashLoop.Result> results = new ArrayList<>();
    for (Variant v : only == null || only.isEmpty() ? List.of(Variant.values()) : only) {
      int k = v == Variant.HEIR ? kills : baselineKills;
      if (k == 0) {
        continue;
      }
      results.add(runVariant(v, db, k));
    }
    out.println();
    printTable(results);
    return results.stream().anyMatch(r -> r.variant() == Variant.HEIR && r.lostWrites() > 0) ? 1 : 0;
  }

  private CrashLoop.Result runVariant(Variant v, Database seeded, int k) {
    Database db = // counts this variant's loads only
        new Database(seeded.url())
            .onLoadProgress(n -> out.printf(Locale.ROOT, "  loaded %,d rows%n", n));
    out.printf(Locale.ROOT, "%s: starting the app (first load from the database)...%n", v.label());
    try (Node node = Node.start()) {
      AttachedProcess self = node.attach(); // this thread calls, monitors and kills
      try {
        return runOn(node, v, db, k);
      } finally {
        self.close();
      }
    }
  }

  private CrashLoop.Result runOn(Node node, Variant v, Database db, int k) {
    {
      long t0 = System.nanoTime();
      Supervisor sup = v.start(node, db).orElseThrow();
      out.printf(
          Locale.ROOT, "  started in %,d ms; %s%n", (System.nanoTime() - t0) / 1_000_000,
          sup.tree().replace("\n", "\n  "));
      out.printf(
          Locale.ROOT,
          "  %d clients running; killing the server %d times (crash in a callback, exit kill, "
              + "exit signal that skips terminate, in turn)...%n",
          clients,
          k);
      CrashLoop.Result r =
          new CrashLoop(node, v, records, clients, Duration.ofMillis(pauseMs)).run(k, db);
      out.printf(
          Locale.ROOT,
          "  done: median recovery %s, %,d acknowledged writes, %,d lost%n",
          time(r.recoveryNanos().getValueAtPercentile(50)),
          r.ackedWrites(),
          r.lostWrites());
      return r;
    }
  }

  private void printTable(List<CrashLoop.Result> results) {
    String fmt = "%-27s %6s %13s %6s %11s %10s %10s %12s %12s %9s%n";
    out.printf(
        Locale.ROOT,
        fmt,
        "variant",
        "kills",
        "acked writes",
        "lost",
        "reads ok",
        "failed in",
        "failed out",
        "recovery p50",
        "recovery p99",
        "db loads");
    for (CrashLoop.Result r : results) {
      Histogram h = r.recoveryNanos();
      out.printf(
          Locale.ROOT,
          fmt,
          r.variant().label(),
          r.kills(),
          String.format(Locale.ROOT, "%,d", r.ackedWrites()),
          String.format(Locale.ROOT, "%,d", r.lostWrites()),
          String.format(Locale.ROOT, "%,d", r.readsOk()),
          String.format(Locale.ROOT, "%,d", r.readsFailedInWindow()),
          String.format(Locale.ROOT, "%,d", r.readsFailedOutside()),
          time(h.getValueAtPercentile(50)),
          time(h.getValueAtPercentile(99)),
          r.dbLoads());
    }
    for (CrashLoop.Result r : results) {
      if (r.variant() == Variant.HEIR) {
        out.printf(
            Locale.ROOT,
            "%nDirect reads from the protected table (no mailbox), during all %d kills: %,d, "
                + "failed: %,d%n",
            r.kills(),
            r.directReads(),
            r.directReadFailures());
      }
    }
    out.printf(
        Locale.ROOT,
        "%n'failed in' = reads that failed while the server was restarting; 'failed out' = reads "
            + "that failed at any other time (must be 0).%n"
            + "records: %,d; clients: %d; JDK %s; %s%n",
        records,
        clients,
        Runtime.version(),
        LocalDate.now());
  }

  static String time(long nanos) {
    if (nanos < 10_000) {
      return String.format(Locale.ROOT, "%.1f µs", nanos / 1_000.0);
    }
    if (nanos < 10_000_000) {
      return String.format(Locale.ROOT, "%.0f µs", nanos / 1_000.0);
    }
    return String.format(Locale.ROOT, "%,.0f ms", nanos / 1_000_000.0);
  }
}
