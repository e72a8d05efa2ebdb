// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.Down;
import dev.coppice.core.Exit;
import dev.coppice.core.ExitReason;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.ProcessExitedException;
import dev.coppice.core.Processes;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ownership, heirs, give-away, access rights and table lifetime: ETS-03..ETS-14, ETS-26, ETS-28.
 */
@ExtendWith(NodeExtension.class)
class OwnershipTest {
  static final TableName<String, Integer> FOO = new TableName<>("foo");

  private static Table<String, Integer> createIn(Actor actor, Access access) {
    return actor.call(() -> Table.<String, Integer>builder().access(access).create());
  }

  private static void killAndWait(Pid pid) {
    MonitorRef ref = Processes.monitor(pid);
    Processes.exit(pid, ExitReason.KILL);
    Expect.down(ref);
  }

  // ------------------------------------------------------------------ ETS-03

  @Test
  void ets03_defaults_setProtectedNoHeirOwnedByCreator(Node node) {
    Table<String, Integer> t = Table.<String, Integer>builder().create();
    TableInfo info = t.info().orElseThrow();
    assertEquals(TableType.SET, info.type());
    assertEquals(Access.PROTECTED, info.access());
    assertEquals(Optional.empty(), info.heir());
    assertFalse(info.named());
    assertEquals(0, info.size());
    assertSame(Processes.self(), info.owner());
    assertFalse(info.readConcurrency());
    assertFalse(info.writeConcurrency());
    assertFalse(info.fixed());
  }

  @Test
  void ets03_createOutsideAProcess_throwsWithHowToFix(Node node) throws Exception {
    AtomicReference<Throwable> seen = new AtomicReference<>();
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Table.<String, Integer>builder().create();
                  } catch (IllegalStateException e) {
                    seen.set(e);
                  }
                });
    t.join();
    assertInstanceOf(IllegalStateException.class, seen.get());
    assertTrue(seen.get().getMessage().contains("Node.attach()"), seen.get().getMessage());
  }

  @Test
  void ets03_tableLivesUntilOwnerEnds(Node node) {
    Actor owner = Actor.spawn(node);
    Table<String, Integer> t = createIn(owner, Access.PUBLIC);
    t.insert("k", 1);
    System.gc();
    assertEquals(Optional.of(1), t.lookup("k"));
    MonitorRef ref = Processes.monitor(owner.pid);
    owner.stop(); // a normal exit deletes it too
    Expect.down(ref);
    assertEquals(Optional.empty(), t.info());
  }

  // ------------------------------------------------------------------ ETS-04

  @Test
  void ets04_accessRights_publicProtectedPrivate(Node node) {
    Actor owner = Actor.spawn(node);
    Table<String, Integer> pub = createIn(owner, Access.PUBLIC);
    Table<String, Integer> prot = createIn(owner, Access.PROTECTED);
    Table<String, Integer> priv = createIn(owner, Access.PRIVATE);
    owner.run(
        () -> {
          prot.insert("k", 1);
          priv.insert("k", 1);
        });

    // the test process is Q, not the owner
    assertEquals(Optional.of(1), prot.lookup("k"));
    assertThrows(TableAccessException.class, () -> prot.insert("2", 2));
    assertEquals(Optional.empty(), prot.lookup("2"));
    assertThrows(TableAccessException.class, () -> priv.lookup("k"));
    assertThrows(TableAccessException.class, () -> priv.first());
    assertThrows(TableAccessException.class, () -> priv.select((k, v) -> true));
    assertEquals(1, priv.info().orElseThrow().size());
    pub.insert("1", 1);
    assertEquals(Optional.of(1), pub.lookup("1"));
    assertEquals(Optional.of(1), owner.call(() -> priv.lookup("k")));
  }

  @Test
  void ets04_threadThatIsNotAProcess_isNotTheOwner(Node node) throws Exception {
    Table<String, Integer> prot = Table.<String, Integer>builder().create();
    Table<String, Integer> pub = Table.<String, Integer>builder().access(Access.PUBLIC).create();
    prot.insert("k", 1);
    AtomicReference<Object> read = new AtomicReference<>();
    AtomicReference<Throwable> write = new AtomicReference<>();
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  read.set(prot.get("k"));
                  pub.insert("p", 2);
                  try {
                    prot.insert("x", 1);
                  } catch (TableAccessException e) {
                    write.set(e);
                  }
                });
    t.join();
    assertEquals(1, read.get());
    assertEquals(Optional.of(2), pub.lookup("p"));
    assertInstanceOf(TableAccessException.class, write.get());
    assertTrue(write.get().getMessage().contains("not a process"), write.get().getMessage());
    assertFalse(prot.member("x"));
  }

  // ------------------------------------------------------------------ ETS-05

  @Test
  void ets05_ownerOnlyOperations_evenOnPublicTables(Node node) {
    Actor owner = Actor.spawn(node);
    Actor other = Actor.spawn(node);
    Table<String, Integer> pub = createIn(owner, Access.PUBLIC);
    assertThrows(TableAccessException.class, () -> pub.clearHeir());
    assertThrows(TableAccessException.class, () -> pub.setHeir(Processes.self(), "x"));
    assertThrows(TableAccessException.class, () -> pub.giveAway(other.pid, "x"));
    assertSame(owner.pid, pub.owner());
    pub.rename(new TableName<>("renamed-by-q"));
    pub.insert("a", 1);
    pub.deleteAllObjects();
    assertEquals(0, pub.size());
    pub.delete();
    assertEquals(Optional.empty(), pub.info());
  }

  @Test
  void ets05_protectedTable_nonOwnerCannotDeleteRenameOrEmpty(Node node) {
    Actor owner = Actor.spawn(node);
    Table<String, Integer> prot = createIn(owner, Access.PROTECTED);
    owner.run(() -> prot.insert("a", 1));
    assertThrows(TableAccessException.class, prot::delete);
    assertThrows(TableAccessException.class, () -> prot.rename(new TableName<>("x")));
    assertThrows(TableAccessException.class, prot::deleteAllObjects);
    assertThrows(TableAccessException.class, () -> prot.selectDelete((k, v) -> true));
    assertEquals(1, prot.size());
    assertEquals("table", prot.info().orElseThrow().name());
  }

  // ------------------------------------------------------------------ ETS-06

  @Test
  void ets06_ownerExits_tableDeleted_everyOperationFails(Node node) {
    Actor owner = Actor.spawn(node);
    Table<String, Integer> t = createIn(owner, Access.PUBLIC);
    t.insert("k", 1);
    MonitorRef ref = Processes.monitor(owner.pid);
    Processes.exit(owner.pid, new ExitReason.Other("crash"));
    Expect.down(ref);

    assertThrows(NoSuchTableException.class, () -> t.lookup("k"));
    assertEquals(Optional.empty(), t.info());
    assertThrows(NoSuchTableException.class, t::delete);
    assertThrows(NoSuchTableException.class, t::size);
    assertThrows(NoSuchTableException.class, () -> t.insert("k", 2));
    assertThrows(NoSuchTableException.class, t::first);
    assertThrows(NoSuchTableException.class, t::owner);
    assertThrows(NoSuchTableException.class, t::toList);
  }

  @Test
  void ets06_ownerCrashesWithAnException_tableDeleted(Node node) {
    CountDownLatch created = new CountDownLatch(1);
    AtomicReference<Table<String, Integer>> table = new AtomicReference<>();
    Pid owner =
        node.spawn(
            () -> {
              table.set(Table.<String, Integer>builder().create());
              created.countDown();
              Processes.receive();
              throw new IllegalStateException("boom");
            });
    awaitLatch(created);
    MonitorRef ref = Processes.monitor(owner);
    Processes.send(owner, "crash now");
    Down down = Expect.down(ref);
    assertInstanceOf(ExitReason.Crash.class, down.reason());
    assertEquals(Optional.empty(), table.get().info());
    assertThrows(NoSuchTableException.class, () -> table.get().lookup("k"));
    assertEquals(1, LogCapture.errors().size()); // the runtime's crash report, examined
  }

  @Test
  void ets06_ownerKilled_tableDeleted(Node node) {
    Actor owner = Actor.spawn(node);
    Table<String, Integer> t = createIn(owner, Access.PROTECTED);
    killAndWait(owner.pid);
    assertEquals(Optional.empty(), t.info());
    assertThrows(NoSuchTableException.class, () -> t.get("k"));
  }

  // ------------------------------------------------------------------ ETS-07

  @Test
  void ets07_namedTables_uniqueNames_whereis_oldHandleStaysInvalid(Node node) {
    Table<String, Integer> t = Table.<String, Integer>builder().named(FOO).create();
    assertTrue(t.info().orElseThrow().named());
    assertEquals("foo", t.info().orElseThrow().name());
    IllegalArgumentException taken =
        assertThrows(
            IllegalArgumentException.class,
            () -> Table.<String, Integer>builder().named(FOO).create());
    assertTrue(taken.getMessage().contains("'foo'"), taken.getMessage());
    assertSame(t, Tables.whereis(node, FOO).orElseThrow());
    assertSame(t, Tables.whereis(FOO).orElseThrow());
    assertSame(t, Tables.table(node, FOO));

    // unnamed tables may share a label freely
    Table.<String, Integer>builder().create();
    Table.<String, Integer>builder().create();

    t.delete();
    assertEquals(Optional.empty(), Tables.whereis(node, FOO));
    assertThrows(NoSuchTableException.class, () -> Tables.table(node, FOO));

    Table<String, Integer> fresh = Table.<String, Integer>builder().named(FOO).create();
    assertThrows(NoSuchTableException.class, () -> t.select((k, v) -> true));
    assertEquals(List.of(), Tables.table(node, FOO).select((k, v) -> true));
    assertSame(fresh, Tables.table(node, FOO));
    assertThrows(IllegalArgumentException.class, () -> Tables.bagTable(node, FOO));
  }

  @Test
  void ets07_namesArePerNode(Node node) {
    Table<String, Integer> t = Table.<String, Integer>builder().named(FOO).create();
    try (Node other = Node.start()) {
      assertEquals(Optional.empty(), Tables.whereis(other, FOO));
    }
    assertSame(t, Tables.table(node, FOO));
  }

  // ------------------------------------------------------------------ ETS-08

  @Test
  void ets08_deadHeirAtCreation_recordedAsNone_tableDeletedWithOwner(Node node) {
    Actor dead = Actor.spawn(node);
    killAndWait(dead.pid);
    Actor owner = Actor.spawn(node);
    Table<String, Integer> t =
        owner.call(() -> Table.<String, Integer>builder().heir(dead.pid, "x").create());
    assertEquals(Optional.empty(), t.info().orElseThrow().heir());
    killAndWait(owner.pid);
    assertEquals(Optional.empty(), t.info());
  }

  @Test
  void ets08_builderValidation(Node node) {
    Pid self = Processes.self();
    Table.Builder<String, Integer> b = Table.<String, Integer>builder().heir(self, "d");
    IllegalStateException twice =
        assertThrows(IllegalStateException.class, () -> b.heir(self, "e"));
    assertTrue(twice.getMessage().contains(self.toString()), twice.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Table.builder().type(TableType.BAG));
    assertThrows(IllegalArgumentException.class, () -> BagTable.builder().type(TableType.SET));
    assertThrows(IllegalArgumentException.class, () -> new TableName<String, Integer>(" "));
    try (Node other = Node.start();
        var foreign = new ForeignProcess(other)) {
      assertThrows(
          IllegalArgumentException.class,
          () -> Table.<String, Integer>builder().heir(foreign.pid(), "d").create());
    }
  }

  /** A process of another node, for "not local" checks. */
  private record ForeignProcess(Node node, Pid pid) implements AutoCloseable {
    ForeignProcess(Node node) {
      this(node, node.spawn(Processes::receive));
    }

    @Override
    public void close() {
      node.exit(pid, ExitReason.KILL);
    }
  }

  // ------------------------------------------------------------------ ETS-09

  @Test
  void ets09_ownerKilled_liveHeirInheritsWithData(Node node) {
    Pid heir = Processes.self();
    Actor owner = Actor.spawn(node);
    Table<String, Integer> t =
        owner.call(
            () -> {
              Table<String, Integer> table =
                  Table.<String, Integer>builder().access(Access.PRIVATE).heir(heir, "hd").create();
              table.insert("k", 1);
              return table;
            });
    assertThrows(TableAccessException.class, () -> t.lookup("k"));

    Processes.exit(owner.pid, ExitReason.KILL);
    TableTransfer transfer = Expect.receive(TableTransfer.class);
    assertSame(t, transfer.table());
    assertSame(owner.pid, transfer.from());
    assertEquals("hd", transfer.data());
    Table<String, Integer> mine = transfer.asTable();
    TableInfo info = mine.info().orElseThrow();
    assertSame(heir, info.owner());
    assertEquals(Optional.of(heir), info.heir());
    assertEquals(Optional.of(1), mine.lookup("k"));
    mine.insert("k", 2);
    assertEquals(2, mine.lookupElement("k"));
  }

  @Test
  void ets09_killedOwnerWhoseThreadKeepsRunning_cannotWriteAfterHeirInherited(Node node) {
    Pid heir = Processes.self();
    AtomicReference<Table<String, Long>> table = new AtomicReference<>();
    AtomicLong lastWrite = new AtomicLong(-1);
    AtomicReference<Throwable> stoppedBy = new AtomicReference<>();
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Pid owner =
        node.spawn(
            () -> {
              Table<String, Long> t = Table.<String, Long>builder().heir(heir, "hd").create();
              table.set(t);
              try {
                for (long i = 0; ; i++) { // a busy loop that ignores interrupts
                  t.insert("k", i);
                  lastWrite.set(i);
                  writing.countDown();
                }
              } catch (RuntimeException e) {
                stoppedBy.set(e);
              }
              // try again, harder: still nothing may land
              for (int i = 0; i < 1000; i++) {
                try {
                  table.get().insert("k", -7L);
                } catch (RuntimeException e) {
                  // expected every time
                }
              }
              stopped.countDown();
            });
    awaitLatch(writing);
    Processes.exit(owner, ExitReason.KILL);
    TableTransfer transfer = Expect.receive(TableTransfer.class);
    Table<String, Long> t = transfer.asTable();
    long seenAtTransfer = t.get("k");
    awaitLatch(stopped);
    assertInstanceOf(ProcessExitedException.class, stoppedBy.get());
    assertEquals(seenAtTransfer, t.get("k"), "the dead owner wrote after the heir inherited");
    assertEquals(lastWrite.get(), seenAtTransfer);
    t.insert("k", 100L); // the heir owns it now
    assertEquals(100L, t.get("k"));
  }

  @Test
  void ets09_killedOwnerOfAPublicTable_cannotWriteEither(Node node) {
    Pid heir = Processes.self();
    AtomicReference<Table<String, Long>> table = new AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean go = new java.util.concurrent.atomic.AtomicBoolean();
    AtomicReference<Throwable> denied = new AtomicReference<>();
    CountDownLatch created = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Pid owner =
        node.spawn(
            () -> {
              table.set(
                  Table.<String, Long>builder().access(Access.PUBLIC).heir(heir, "hd").create());
              created.countDown();
              while (!go.get()) { // ignores the kill's interrupt, as user code may
                Thread.onSpinWait();
              }
              try {
                table.get().insert("late", 1L);
              } catch (RuntimeException e) {
                denied.set(e);
              }
              done.countDown();
            });
    awaitLatch(created);
    Processes.exit(owner, ExitReason.KILL);
    Expect.receive(TableTransfer.class);
    go.set(true);
    awaitLatch(done);
    assertInstanceOf(ProcessExitedException.class, denied.get());
    assertFalse(table.get().member("late"));
  }

  @Test
  void ets09_killedProcessReadingInALoop_getsProcessExited(Node node) {
    Table<String, Long> t =
        Table.<String, Long>builder().access(Access.PUBLIC).create();
    AtomicReference<Throwable> stoppedBy = new AtomicReference<>();
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Pid reader =
        node.spawn(
            () -> {
              try {
                for (long i = 0; i < 2_000_000_000L; i++) { // waits for a key that never comes
                  if (t.lookup("never").isPresent()) {
                    break;
                  }
                  reading.countDown();
                }
              } catch (RuntimeException e) {
                stoppedBy.set(e);
              }
              done.countDown();
            });
    awaitLatch(reading);
    Processes.exit(reader, ExitReason.KILL);
    awaitLatch(done);
    assertInstanceOf(ProcessExitedException.class, stoppedBy.get());
  }

  @Test
  void ets09_transferSharesTheData_noCopy(Node node) {
    Actor owner = Actor.spawn(node);
    Pid heir = Processes.self();
    record Big(int[] payload) {}
    Big big = new Big(new int[1000]);
    Table<Integer, Big> t =
        owner.call(
            () -> {
              Table<Integer, Big> table = Table.<Integer, Big>builder().heir(heir, "x").create();
              Map<Integer, Big> rows = new java.util.HashMap<>();
              for (int i = 0; i < 100_000; i++) {
                rows.put(i, big);
              }
              table.insert(rows);
              return table;
            });
    Processes.exit(owner.pid, ExitReason.KILL);
    Table<Integer, Big> mine = Expect.receive(TableTransfer.class).asTable();
    assertSame(t, mine);
    assertEquals(100_000, mine.size());
    assertSame(big, mine.get(99_999)); // the very same object: nothing was copied
  }

  // ------------------------------------------------------------------ ETS-10

  @Test
  void ets10_transferArrivesBeforeExitAndDown(Node node) {
    Pid heir = Processes.self();
    Processes.trapExits(true);
    Actor owner = Actor.spawn(node);
    Table<String, Integer> t =
        owner.call(() -> Table.<String, Integer>builder().heir(heir, "hd").create());
    Processes.link(owner.pid);
    MonitorRef ref = Processes.monitor(owner.pid);

    Processes.exit(owner.pid, ExitReason.KILL);

    Object first = Expect.next();
    Object second = Expect.next();
    Object third = Expect.next();
    TableTransfer transfer = assertInstanceOf(TableTransfer.class, first);
    assertSame(t, transfer.table());
    Exit exit = assertInstanceOf(Exit.class, second);
    assertSame(owner.pid, exit.from());
    Down down = assertInstanceOf(Down.class, third);
    assertSame(ref, down.ref());
    // reacting to Down, the heir already owns the table
    assertSame(heir, t.owner());
  }

  @Test
  void ets10_ownerExitsNormally_sameOrder(Node node) {
    Pid heir = Processes.self();
    Processes.trapExits(true);
    Actor owner = Actor.spawn(node);
    owner.call(() -> Table.<String, Integer>builder().heir(heir, "hd").create());
    Processes.link(owner.pid);
    MonitorRef ref = Processes.monitor(owner.pid);
    owner.stop();
    assertInstanceOf(TableTransfer.class, Expect.next());
    assertInstanceOf(Exit.class, Expect.next());
    assertSame(ref, assertInstanceOf(Down.class, Expect.next()).ref());
  }

  // ------------------------------------------------------------------ ETS-11

  @Test
  void ets11_heirDiedFirst_tableDeletedWithOwner_noTransfer(Node node) {
    Actor heir = Actor.spawn(node);
    Actor owner = Actor.spawn(node);
    Table<String, Integer> t =
        owner.call(() -> Table.<String, Integer>builder().heir(heir.pid, "hd").create());
    killAndWait(heir.pid);
    assertEquals(Optional.empty(), t.info().orElseThrow().heir());
    killAndWait(owner.pid);
    assertEquals(Optional.empty(), t.info());
  }

  @Test
  void ets11_ownerIsItsOwnHeir_tableDeleted(Node node) {
    Actor owner = Actor.spawn(node);
    Table<String, Integer> t =
        owner.call(
            () -> {
              Table<String, Integer> table = Table.<String, Integer>builder().create();
              table.setHeir(Processes.self(), "me");
              return table;
            });
    killAndWait(owner.pid);
    assertEquals(Optional.empty(), t.info());
  }

  @Test
  void ets11_inheritingHeirDiesWithNoNewHeir_tableDeleted(Node node) {
    Actor heir = Actor.spawn(node);
    Actor owner = Actor.spawn(node);
    Table<String, Integer> t =
        owner.call(() -> Table.<String, Integer>builder().heir(heir.pid, "hd").create());
    killAndWait(owner.pid);
    Await.owner(t, heir.pid);
    killAndWait(heir.pid);
    assertEquals(Optional.empty(), t.info());
    Expect.noMessage(Duration.ofMillis(20)); // the test process was never involved
  }

  /** Small waits on table state that no message announces to the test process. */
  static final class Await {
    static void owner(OwnedTable<?, ?> t, Pid expected) {
      dev.coppice.testkit.Await.until(
          "the table is owned by " + expected,
          () -> t.info().map(i -> i.owner() == expected).orElse(false));
    }
  }

  // ------------------------------------------------------------------ ETS-12

  @Test
  void ets12_giveAway_rulesAndTransferMessage(Node node) {
    Actor giver = Actor.spawn(node);
    Actor dead = Actor.spawn(node);
    killAndWait(dead.pid);
    Pid receiver = Processes.self();
    Table<String, Integer> t =
        giver.call(
            () -> {
              Table<String, Integer> table =
                  Table.<String, Integer>builder().access(Access.PRIVATE).create();
              table.insert("k", 1);
              return table;
            });
    Pid giverPid = giver.pid;
    assertThrows(IllegalArgumentException.class, () -> giver.run(() -> t.giveAway(giverPid, "x")));
    assertThrows(IllegalArgumentException.class, () -> giver.run(() -> t.giveAway(dead.pid, "x")));
    try (Node other = Node.start();
        var foreign = new ForeignProcess(other)) {
      assertThrows(
          IllegalArgumentException.class, () -> giver.run(() -> t.giveAway(foreign.pid(), "x")));
    }
    assertSame(giverPid, t.owner());

    giver.run(() -> t.giveAway(receiver, "gift"));
    TableTransfer transfer = Expect.receive(TableTransfer.class);
    assertEquals(new TableTransfer(t, giverPid, "gift"), transfer);
    assertSame(receiver, t.owner());
    assertThrows(TableAccessException.class, () -> giver.call(() -> t.lookup("k")));
    assertThrows(TableAccessException.class, () -> giver.run(() -> t.giveAway(receiver, "again")));
    assertEquals(Optional.of(1), t.lookup("k"));
    assertEquals(Optional.empty(), t.info().orElseThrow().heir()); // heir setting unchanged
  }

  // ------------------------------------------------------------------ ETS-13

  @Test
  void ets13_boomerang_ownerAsHeirGetsTableBackWhenReceiverDies(Node node) {
    Pid p = Processes.self();
    Table<String, Integer> t = Table.<String, Integer>builder().create();
    t.insert("k", 1);
    t.setHeir(p, "back");
    Actor r = Actor.spawn(node);
    t.giveAway(r.pid, "gift");
    assertSame(r.pid, t.owner());
    killAndWait(r.pid);
    TableTransfer back = Expect.receive(TableTransfer.class);
    assertSame(r.pid, back.from());
    assertEquals("back", back.data());
    assertSame(p, t.owner());
    assertEquals(Optional.of(1), t.lookup("k"));
  }

  // ------------------------------------------------------------------ ETS-14

  @Test
  void ets14_setHeirAndClearHeir_ownerOnly(Node node) {
    Actor h = Actor.spawn(node);
    Table<String, Integer> t = Table.<String, Integer>builder().create();
    t.setHeir(h.pid, "d");
    assertEquals(Optional.of(h.pid), t.info().orElseThrow().heir());
    t.clearHeir();
    assertEquals(Optional.empty(), t.info().orElseThrow().heir());
    assertThrows(TableAccessException.class, () -> h.run(() -> t.setHeir(h.pid, "d")));
    assertThrows(TableAccessException.class, () -> h.run(t::clearHeir));
    killAndWait(h.pid);
    t.setHeir(h.pid, "dead"); // a dead heir is recorded as none
    assertEquals(Optional.empty(), t.info().orElseThrow().heir());
  }

  // ------------------------------------------------------------------ ETS-26

  @Test
  void ets26_rename_namedAndUnnamed(Node node) {
    TableName<String, Integer> nt = new TableName<>("nt");
    TableName<String, Integer> nt2 = new TableName<>("nt2");
    TableName<String, Integer> nt3 = new TableName<>("nt3");
    Table<String, Integer> t = Table.<String, Integer>builder().named(nt).create();
    Table.<String, Integer>builder().named(nt2).create();
    t.insert("a", 1);
    assertThrows(IllegalArgumentException.class, () -> t.rename(nt2));
    assertSame(t, Tables.table(node, nt));
    assertEquals(nt3, t.rename(nt3));
    assertThrows(NoSuchTableException.class, () -> Tables.table(node, nt).lookup("a"));
    assertEquals(Optional.of(1), Tables.table(node, nt3).lookup("a"));
    assertEquals("nt3", t.info().orElseThrow().name());

    Table<String, Integer> unnamed = Table.<String, Integer>builder().create();
    TableName<String, Integer> label = new TableName<>("label");
    unnamed.rename(label);
    assertEquals("label", unnamed.info().orElseThrow().name());
    assertFalse(unnamed.info().orElseThrow().named());
    assertEquals(Optional.empty(), Tables.whereis(node, label));

    t.delete(); // frees the new name
    assertEquals(Optional.empty(), Tables.whereis(node, nt3));
  }

  // ------------------------------------------------------------------ ETS-28

  @Test
  void ets28_afterGiveAway_rightsFollowTheNewOwner(Node node) {
    Actor p = Actor.spawn(node);
    Actor r = Actor.spawn(node);
    Table<String, Integer> t = createIn(p, Access.PROTECTED);
    p.run(() -> t.insert("a", 1));
    p.run(() -> t.giveAway(r.pid, "gift"));
    assertThrows(TableAccessException.class, () -> p.run(() -> t.insert("b", 2)));
    assertEquals(Optional.of(1), p.call(() -> t.lookup("a")));
    r.run(() -> t.insert("b", 2));
    assertEquals(Optional.of(2), t.lookup("b"));
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out waiting for the other process");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
