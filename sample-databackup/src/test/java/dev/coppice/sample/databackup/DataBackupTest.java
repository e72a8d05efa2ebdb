// SPDX-License-Identifier: Apache-2.0
package dev.coppice.sample.databackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.Down;
import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.supervisor.Supervisor;
import dev.coppice.table.Table;
import dev.coppice.table.TableAccessException;
import dev.coppice.table.Tables;
import dev.coppice.testkit.AllowErrorLogs;
import dev.coppice.testkit.Await;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The behaviour the article's repository tests, on coppice: the Server owns the table after
 * start, data survives a Server crash with DataMaster owning the table in between, the load from
 * the database happens once, and what DataMaster's death does under rest_for_one.
 */
@ExtendWith(NodeExtension.class)
@AllowErrorLogs // the tests crash servers on purpose; the runtime reports each crash
class DataBackupTest {
  private static final int RECORDS = 2_000;

  private static Database seeded() throws Exception {
    Database db = new Database("jdbc:h2:mem:t" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    db.seed(RECORDS, n -> {});
    return db;
  }

  private static Pid serverPid(Node node) {
    return DataBackup.server(node).whereis().orElseThrow();
  }

  private static Pid masterPid(Node node) {
    return node.whereis(DataMaster.NAME.value()).orElseThrow();
  }

  private static Table<Long, String> table(Node node) {
    return Tables.table(node, DataMaster.TABLE);
  }

  /** Waits until a Server other than {@code old} runs and owns the table. */
  private static Pid awaitNewServer(Node node, Pid old) {
    return Await.value(
        "a new Server that owns the table",
        () -> {
          Optional<Pid> now = DataBackup.server(node).whereis();
          if (now.isEmpty() || now.get().equals(old)) {
            return null;
          }
          Optional<Table<Long, String>> t =
              Tables.whereis(node, DataMaster.TABLE).map(x -> (Table<Long, String>) x);
          return t.isPresent() && now.get().equals(t.get().owner()) ? now.get() : null;
        });
  }

  @Test
  void start_serverOwnsTheTable_dataMasterIsItsHeir(Node node) throws Exception {
    Database db = seeded();
    DataBackup.start(node, db).orElseThrow();

    Table<Long, String> table = table(node);
    assertEquals(serverPid(node), table.owner());
    assertEquals(Optional.of(masterPid(node)), table.info().orElseThrow().heir());
    assertEquals(RECORDS, table.size());
    assertEquals(1, db.loads());
  }

  @Test
  void insertData_thenGetData_returnsIt(Node node) throws Exception {
    DataBackup.start(node, seeded()).orElseThrow();

    DataBackup.insertData(node, 1_000_000L, "fresh");

    assertEquals(Optional.of("fresh"), DataBackup.getData(node, 1_000_000L));
    assertEquals(Optional.of(Database.dataFor(7)), DataBackup.getData(node, 7));
    assertEquals(Optional.empty(), DataBackup.getData(node, -1));
  }

  @Test
  void serverCrash_dataSurvives_dataMasterOwnedItInBetween_newServerOwnsIt(Node node)
      throws Exception {
    Database db = seeded();
    DataBackup.start(node, db).orElseThrow();
    DataBackup.insertData(node, 5_000_000L, "written before the crash");
    Pid server = serverPid(node);
    Pid master = masterPid(node);
    Table<Long, String> table = table(node);
    // An exit hook registered now runs after the table's own hook (hooks run in order) and
    // before the supervisor hears of the death: it sees who owns the table in between.
    AtomicReference<Pid> ownerInBetween = new AtomicReference<>();
    Processes.onExit(server, (pid, reason) -> ownerInBetween.set(table.owner())).orElseThrow();

    Processes.exit(server, ExitReason.KILL);

    assertEquals(master, ownerInBetween.get());
    Pid newServer = awaitNewServer(node, server);
    assertNotEquals(server, newServer);
    assertEquals(newServer, table(node).owner());
    assertEquals(
        Optional.of("written before the crash"), DataBackup.getData(node, 5_000_000L));
    assertEquals(RECORDS + 1, table(node).size());
    assertEquals(1, db.loads(), "a Server restart must not reach the database");
  }

  @Test
  void serverCrashes_inEveryWay_theLoadHappensOnce(Node node) throws Exception {
    Database db = seeded();
    DataBackup.start(node, db).orElseThrow();
    for (int i = 0; i < 6; i++) {
      Pid server = serverPid(node);
      switch (i % 3) {
        case 0 -> DataBackup.server(node).cast(DataCast.CRASH);
        case 1 -> Processes.exit(server, ExitReason.KILL);
        default -> Processes.exit(server, ExitReason.other("boom"));
      }
      Expect.down(server);
      awaitNewServer(node, server);
      DataBackup.insertData(node, 10_000_000L + i, "after crash " + i);
    }
    for (int i = 0; i < 6; i++) {
      assertEquals(Optional.of("after crash " + i), DataBackup.getData(node, 10_000_000L + i));
    }
    assertEquals(1, db.loads());
  }

  @Test
  void dataMasterDies_restForOne_serverRestartsAndTheTableIsRebuiltFromTheDatabase(Node node)
      throws Exception {
    Database db = seeded();
    Supervisor sup = DataBackup.start(node, db).orElseThrow();
    DataBackup.insertData(node, 7_000_000L, "only in the table");
    Pid server = serverPid(node);
    Pid master = masterPid(node);
    var serverDown = Processes.monitor(server);

    Processes.exit(master, ExitReason.KILL);

    // rest_for_one: the Server, started after DataMaster, is stopped too; its table has no live
    // heir, so it goes with it, and the new DataMaster loads the database again.
    Down down = Expect.down(serverDown);
    assertEquals(ExitReason.SHUTDOWN, down.reason());
    Pid newServer = awaitNewServer(node, server);
    assertNotEquals(master, masterPid(node));
    assertEquals(2, db.loads());
    assertEquals(Optional.of(Database.dataFor(42)), DataBackup.getData(node, 42));
    assertEquals(
        Optional.empty(),
        DataBackup.getData(node, 7_000_000L),
        "writes held only by the table are lost when DataMaster dies: the documented trade-off");
    assertEquals(newServer, table(node).owner());
    assertEquals(2, sup.whichChildren().size());
  }

  @Test
  void readDirect_readsTheProtectedTableFromAnyProcess_butOnlyTheServerWrites(Node node)
      throws Exception {
    DataBackup.start(node, seeded()).orElseThrow();

    assertEquals(Optional.of(Database.dataFor(3)), DataBackup.readDirect(node, 3));
    assertThrows(TableAccessException.class, () -> table(node).insert(3L, "not the owner"));
    assertEquals(Optional.of(Database.dataFor(3)), DataBackup.readDirect(node, 3));
  }

  @Test
  void crashLoop_underConcurrentClients_losesNoAcknowledgedWrite(Node node) throws Exception {
    Database db = seeded();
    DataBackup.start(node, db).orElseThrow();

    CrashLoop.Result r =
        new CrashLoop(node, Variant.HEIR, RECORDS, 3, Duration.ofMillis(20)).run(9, db);

    assertTrue(r.ackedWrites() > 0, "the clients wrote nothing: " + r);
    assertEquals(0, r.lostWrites(), "acknowledged writes lost: " + r);
    assertEquals(0, r.readsFailedOutside(), "reads failed outside a restart window: " + r);
    assertEquals(0, r.directReadFailures(), "direct reads failed: " + r);
    assertEquals(9, r.recoveryNanos().getTotalCount());
    assertEquals(1, r.dbLoads());
  }

  @Test
  void reloadAlternative_losesTheWritesSinceTheLastLoad(Node node) throws Exception {
    Database db = seeded();
    Variant.RELOAD.start(node, db).orElseThrow();

    CrashLoop.Result r =
        new CrashLoop(node, Variant.RELOAD, RECORDS, 2, Duration.ofMillis(20)).run(3, db);

    assertTrue(r.lostWrites() > 0, "the reload alternative should lose writes: " + r);
    assertEquals(4, r.dbLoads());
  }
}
