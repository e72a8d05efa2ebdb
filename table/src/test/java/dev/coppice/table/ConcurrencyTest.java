// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Atomicity and isolation under concurrent use: ETS-17 and ETS-27. */
@ExtendWith(NodeExtension.class)
class ConcurrencyTest {

  record Done() {}

  private static Table<String, Long> table(TableType type, Access access) {
    return Table.<String, Long>builder().type(type).access(access).create();
  }

  private static List<Thread> start(int n, Runnable body) {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      threads.add(Thread.ofVirtual().start(body));
    }
    return threads;
  }

  private static void joinAll(List<Thread> threads) throws InterruptedException {
    for (Thread t : threads) {
      t.join();
    }
  }

  // ------------------------------------------------------------------ ETS-17

  @Test
  void ets17_batchWithAnInvalidObject_insertsNothing(Node node) {
    for (TableType type : new TableType[] {TableType.SET, TableType.ORDERED_SET}) {
      Table<String, Long> t = table(type, Access.PROTECTED);
      List<Map.Entry<String, Long>> batch = new ArrayList<>();
      batch.add(Map.entry("x", 1L));
      batch.add(new AbstractMap.SimpleEntry<>("y", null));
      assertThrows(NullPointerException.class, () -> t.insert(batch));
      assertEquals(Optional.empty(), t.lookup("x"));
      assertThrows(NullPointerException.class, () -> t.insertNew(batch));
      assertEquals(0, t.size());
    }
    Table<Object, Long> ord = Table.<Object, Long>builder().ordered().create();
    ord.insert(1, 1L);
    List<Map.Entry<Object, Long>> mixed = List.of(Map.entry(2, 2L), Map.entry("three", 3L));
    assertThrows(IllegalArgumentException.class, () -> ord.insert(mixed));
    assertFalse(ord.member(2));
    assertThrows(IllegalArgumentException.class, () -> ord.insert(List.of(Map.entry("s", 1L))));
    assertEquals(1, ord.size());
  }

  /**
   * A writer (the owner) inserts {@code [{k1,N},{k2,N}]} as one list for N = 1, 2, 3...; a reader
   * on another thread reads k1 and then k2, and must always find k2 >= k1.
   */
  @ParameterizedTest
  @CsvSource({"SET, PROTECTED", "SET, PUBLIC", "ORDERED_SET, PROTECTED", "ORDERED_SET, PUBLIC"})
  void ets17_listInsertIsIsolated_readerNeverSeesHalf(TableType type, Access access, Node node)
      throws InterruptedException {
    Pid test = Processes.self();
    AtomicReference<Table<String, Long>> created = new AtomicReference<>();
    int rounds = 30_000;
    Pid writer =
        node.spawn(
            () -> {
              Table<String, Long> t = table(type, access);
              t.insert(List.of(Map.entry("k1", 0L), Map.entry("k2", 0L)));
              created.set(t);
              Processes.send(test, "ready");
              for (long n = 1; n <= rounds; n++) {
                t.insert(List.of(Map.entry("k1", n), Map.entry("k2", n))); // k1 first
              }
              Processes.send(test, new Done());
              Processes.receive(); // keep owning the table until the test ends
            });
    Expect.receive(String.class);
    Table<String, Long> t = created.get();
    AtomicReference<String> violation = new AtomicReference<>();
    long[] reads = {0};
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  long last = 0;
                  while (last < rounds && violation.get() == null) {
                    long a = t.get("k1");
                    long b = t.get("k2");
                    reads[0]++;
                    if (b < a) {
                      violation.set("read k1=" + a + " and then k2=" + b);
                    }
                    last = b;
                  }
                });
    Expect.receive(Done.class);
    reader.join();
    assertNull(violation.get(), violation.get());
    assertTrue(reads[0] > 0);
    assertEquals(rounds, t.get("k1"));
    Processes.exit(writer, dev.coppice.core.ExitReason.KILL);
  }

  @Test
  void ets17_deleteAllObjectsIsIsolated_pairsVanishTogether(Node node) throws InterruptedException {
    // The writer keeps k1 and k2 equal: insert [{k1,N},{k2,N}], delete all, then N+1. A reader
    // that finds one key absent and then the other present at a value it had already seen has
    // seen half of a delete_all_objects: after a whole one, only a newer batch can appear.
    Table<String, Long> t = table(TableType.SET, Access.PUBLIC);
    int rounds = 20_000;
    AtomicReference<String> violation = new AtomicReference<>();
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (long n = 1; n <= rounds; n++) {
                    t.insert(List.of(Map.entry("k1", n), Map.entry("k2", n)));
                    t.deleteAllObjects();
                  }
                  t.insert("stop", 0L);
                });
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  long maxSeen = 0;
                  for (long i = 0; !t.member("stop") && violation.get() == null; i++) {
                    String first = i % 2 == 0 ? "k1" : "k2";
                    String second = i % 2 == 0 ? "k2" : "k1";
                    Long a = t.get(first);
                    Long b = t.get(second);
                    if (a == null && b != null && b <= maxSeen) {
                      violation.set(first + " absent, then " + second + "=" + b + " (seen before)");
                    }
                    if (a != null && b != null && b < a) {
                      violation.set(first + "=" + a + " then " + second + "=" + b);
                    }
                    maxSeen = Math.max(maxSeen, Math.max(a == null ? 0 : a, b == null ? 0 : b));
                  }
                });
    writer.join();
    reader.join();
    assertNull(violation.get(), violation.get());
    assertEquals(1, t.size());
  }

  // ------------------------------------------------------------------ ETS-27

  @ParameterizedTest
  @CsvSource({"SET", "ORDERED_SET"})
  void ets27_sixteenThreadsTimesTenThousandCounterUpdates_is160000(TableType type, Node node)
      throws InterruptedException {
    Table<String, Long> t =
        Table.<String, Long>builder()
            .type(type)
            .access(Access.PUBLIC)
            .writeConcurrency(true)
            .create();
    t.insert("c", 0L);
    joinAll(
        start(
            16,
            () -> {
              for (int i = 0; i < 10_000; i++) {
                t.updateCounter("c", 1);
              }
            }));
    assertEquals(160_000L, t.get("c"));
  }

  @Test
  void ets27_sixteenProcessesCountingOnAProtectedTable_throughTheOwnerIsNotAllowed(Node node) {
    Table<String, Long> t = Table.<String, Long>builder().create();
    t.insert("c", 0L);
    Actor other = Actor.spawn(node);
    assertThrows(TableAccessException.class, () -> other.call(() -> t.updateCounter("c", 1)));
    assertEquals(0L, t.get("c"));
  }

  record Pair(long x, long y) {}

  @Test
  void ets27_readerNeverSeesAMixOfOldAndNewFields(Node node) throws InterruptedException {
    Table<String, Pair> t = Table.<String, Pair>builder().access(Access.PUBLIC).create();
    t.insert("p", new Pair(0, 0));
    AtomicReference<String> violation = new AtomicReference<>();
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (int i = 0; i < 50_000; i++) {
                    t.update("p", p -> new Pair(p.x() + 1, p.y() + 1));
                  }
                });
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (writer.isAlive()) {
                    Pair p = t.get("p");
                    if (p.x() != p.y()) {
                      violation.set(p.toString());
                    }
                  }
                });
    writer.join();
    reader.join();
    assertNull(violation.get());
    assertEquals(new Pair(50_000, 50_000), t.get("p"));
  }

  @Test
  void ets27_concurrencyFlags_areReportedAndChangeNoResult(Node node) {
    List<List<Map.Entry<Integer, Integer>>> results = new ArrayList<>();
    for (boolean flag : new boolean[] {false, true}) {
      Table<Integer, Integer> t =
          Table.<Integer, Integer>builder()
              .ordered()
              .readConcurrency(flag)
              .writeConcurrency(flag)
              .create();
      assertEquals(flag, t.info().orElseThrow().readConcurrency());
      assertEquals(flag, t.info().orElseThrow().writeConcurrency());
      for (int i = 0; i < 100; i++) {
        t.insert(i * 7 % 31, i);
        t.updateCounter(i % 5, 1, 0);
      }
      results.add(t.toList());
    }
    assertEquals(results.get(0), results.get(1));
  }

  @Test
  void ets27_mixedConcurrentWritersOnPublicTables_keepTheirInvariants(Node node)
      throws InterruptedException {
    Table<Integer, Long> set = Table.<Integer, Long>builder().access(Access.PUBLIC).create();
    Table<Integer, Long> ord =
        Table.<Integer, Long>builder().ordered().access(Access.PUBLIC).create();
    BagTable<Integer, Long> bag =
        BagTable.<Integer, Long>builder()
            .type(TableType.DUPLICATE_BAG)
            .access(Access.PUBLIC)
            .create();
    joinAll(
        start(
            4,
            () -> {
              ThreadLocalRandom r = ThreadLocalRandom.current();
              for (int i = 0; i < 5_000; i++) {
                int k = r.nextInt(64);
                switch (r.nextInt(6)) {
                  case 0 -> {
                    set.insert(k, (long) i);
                    ord.insert(k, (long) i);
                    bag.insert(k, (long) i);
                  }
                  case 1 -> {
                    set.delete(k);
                    ord.delete(k);
                    bag.delete(k);
                  }
                  case 2 -> {
                    set.insert(Map.of(k, 1L, k + 64, 2L));
                    ord.insert(Map.of(k, 1L, k + 64, 2L));
                    bag.insert(List.of(Map.entry(k, 1L), Map.entry(k + 64, 2L)));
                  }
                  case 3 -> {
                    set.updateCounter(k, 1, 0L);
                    ord.updateCounter(k, 1, 0L);
                  }
                  case 4 -> {
                    set.take(k);
                    ord.take(k);
                    bag.take(k);
                  }
                  default -> {
                    set.insertNew(Map.of(k, 5L));
                    ord.insertNew(Map.of(k, 5L));
                    bag.deleteObject(k, 1L);
                  }
                }
              }
            }));
    assertEquals(set.toList().size(), set.size());
    assertEquals(ord.toList().size(), ord.size());
    assertEquals(bag.toList().size(), bag.size());
    List<Integer> keys = ord.select((k, v) -> true, (k, v) -> k);
    List<Integer> sorted = new ArrayList<>(keys);
    sorted.sort(null);
    assertEquals(sorted, keys);
    for (var e : ord.toList()) {
      assertEquals(e.getValue(), ord.get(e.getKey())); // the index and the hash map agree
    }
  }
}
