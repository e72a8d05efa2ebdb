// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.ExitReason;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The table operations: ETS-01, 02, 15, 16, 18..25. */
@ExtendWith(NodeExtension.class)
class OperationsTest {

  record Animal(String name, String kind, int legs) {}

  record Elem(String key, String a, String b) {
    Elem withA(String v) {
      return new Elem(key, v, b);
    }

    Elem withB(String v) {
      return new Elem(key, a, v);
    }
  }

  record Counter(long hits, long misses) {}

  static Table<Integer, String> ordered(int... keys) {
    Table<Integer, String> t = Table.<Integer, String>builder().ordered().create();
    for (int k : keys) {
      t.insert(k, "v" + k);
    }
    return t;
  }

  // ------------------------------------------------------------------ ETS-01

  @Test
  void ets01_fourTypes_insertSameKeyThreeTimes(Node node) {
    Table<String, Integer> set = Table.<String, Integer>builder().create();
    Table<String, Integer> ord =
        Table.<String, Integer>builder().type(TableType.ORDERED_SET).create();
    BagTable<String, Integer> bag = BagTable.<String, Integer>builder().create();
    BagTable<String, Integer> dup =
        BagTable.<String, Integer>builder().type(TableType.DUPLICATE_BAG).create();
    for (int v : new int[] {1, 2, 1}) {
      set.insert("k", v);
      ord.insert("k", v);
      bag.insert("k", v);
      dup.insert("k", v);
    }
    assertEquals(Optional.of(1), set.lookup("k"));
    assertEquals(Optional.of(1), ord.lookup("k"));
    assertEquals(Set.of(1, 2), new HashSet<>(bag.lookup("k")));
    assertEquals(2, bag.lookup("k").size());
    assertEquals(List.of(1, 2, 1), dup.lookup("k")); // insertion order
    assertEquals(List.of(), bag.lookup("none"));
    assertEquals(TableType.BAG, bag.info().orElseThrow().type());
    assertEquals(TableType.DUPLICATE_BAG, dup.info().orElseThrow().type());
    assertEquals(3, dup.size());
    assertEquals(2, bag.size());
    assertEquals(1, set.size());
    assertEquals(1, ord.size());
  }

  @Test
  void ets01_orderedSet_iteratesInKeyOrder_withComparator(Node node) {
    Table<String, Integer> t =
        Table.<String, Integer>builder().ordered(Comparator.reverseOrder()).create();
    t.insert(Map.of("a", 1, "c", 3, "b", 2));
    assertEquals(List.of(Map.entry("c", 3), Map.entry("b", 2), Map.entry("a", 1)), t.toList());
  }

  // ------------------------------------------------------------------ ETS-02

  @Test
  void ets02_keyEquality_setExact_orderedSetCompareEqual(Node node) {
    Table<Number, String> ord =
        Table.<Number, String>builder()
            .ordered(Comparator.comparingDouble(Number::doubleValue))
            .create();
    Table<Number, String> set = Table.<Number, String>builder().create();
    ord.insert(1, "int");
    set.insert(1, "int");
    assertEquals(Optional.of("int"), ord.lookup(1.0));
    assertEquals(Optional.empty(), set.lookup(1.0));
    assertEquals(Optional.empty(), set.lookup(1L));
    ord.insert(2.5, "x");
    assertEquals(Optional.of(2.5), ord.next(1L));
    assertEquals(Optional.of(1), ord.prev(2));
    ord.delete(2.5f);
    ord.insert(1.0, "float"); // replaces the object with key 1
    assertEquals(1, ord.size());
    assertEquals(Optional.of("float"), ord.lookup(1));
    assertEquals(Optional.of("float"), ord.take(1.0));
    assertEquals(0, ord.size());
  }

  @Test
  void ets02_naturalOrder_mixedNumberTypes_areRejected(Node node) {
    Table<Object, String> t = Table.<Object, String>builder().ordered().create();
    t.insert(1, "int");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> t.insert(1.0, "double"));
    assertTrue(e.getMessage().contains("Comparator"), e.getMessage());
    assertEquals(1, t.size());
    assertThrows(IllegalArgumentException.class, () -> t.lookup(1.0));
    assertThrows(IllegalArgumentException.class, () -> t.next("x"));
  }

  @Test
  void ets02_orderedSet_keysWhoseOrderDisagreesWithEquals_areOneKey(Node node) {
    // BigDecimal's natural order calls 1.0 and 1.00 equal although equals() does not
    Table<java.math.BigDecimal, String> t =
        Table.<java.math.BigDecimal, String>builder().ordered().create();
    t.insert(new java.math.BigDecimal("1.0"), "a");
    t.insert(new java.math.BigDecimal("1.00"), "b");
    assertEquals(1, t.size());
    assertEquals(Optional.of("b"), t.lookup(new java.math.BigDecimal("1.000")));
    assertTrue(t.member(java.math.BigDecimal.ONE));
    t.deleteAllObjects(); // an emptied table must not forget why it reads through the order
    t.insert(new java.math.BigDecimal("2.0"), "c");
    t.insert(new java.math.BigDecimal("2.00"), "d");
    assertEquals(1, t.size());
    assertEquals(Optional.of("d"), t.lookup(new java.math.BigDecimal("2")));
  }

  // ------------------------------------------------------------------ ETS-15

  @Test
  void ets15_info_reportsEverything(Node node) {
    TableName<String, Integer> name = new TableName<>("infos");
    Pid heir = Actor.spawn(node).pid;
    Table<String, Integer> t =
        Table.<String, Integer>builder()
            .ordered()
            .access(Access.PUBLIC)
            .heir(heir, "d")
            .named(name)
            .readConcurrency(true)
            .writeConcurrency(true)
            .create();
    t.insert("a", 1);
    t.insert("b", 2);
    TableInfo info = t.info().orElseThrow();
    assertEquals(TableType.ORDERED_SET, info.type());
    assertEquals(Access.PUBLIC, info.access());
    assertSame(Processes.self(), info.owner());
    assertEquals(Optional.of(heir), info.heir());
    assertEquals(2, info.size());
    assertTrue(info.named());
    assertEquals("infos", info.name());
    assertTrue(info.readConcurrency());
    assertTrue(info.writeConcurrency());
    assertFalse(info.fixed());
    t.safeFixtable(true);
    assertEquals(Map.of(Processes.self(), 1), t.info().orElseThrow().fixations());
    assertTrue(t.info().orElseThrow().fixed());
    t.safeFixtable(false);
    assertFalse(t.info().orElseThrow().fixed());
  }

  // ------------------------------------------------------------------ ETS-16

  @Test
  void ets16_explicitKey_nullsRejected_emptyBatchIsFine(Node node) {
    Table<String, Integer> t = Table.<String, Integer>builder().create();
    assertThrows(NullPointerException.class, () -> t.insert(null, 1));
    assertThrows(NullPointerException.class, () -> t.insert("k", null));
    t.insert(List.of());
    t.insert(Map.of());
    assertEquals(0, t.size());
    record Row(String id, int n) {}
    Table<String, Row> rows = Table.<String, Row>builder().create();
    Row r = new Row("key", 7);
    rows.insert(r.id(), r); // the key is explicit, wherever it sits in the value
    assertEquals(Optional.of(r), rows.lookup("key"));
  }

  // ------------------------------------------------------------------ ETS-18

  @Test
  void ets18_insertNew_singleAndList(Node node) {
    Table<String, Integer> t = Table.<String, Integer>builder().create();
    t.insert("k", 2);
    assertFalse(t.insertNew("k", 3));
    assertEquals(Optional.of(2), t.lookup("k"));
    assertFalse(t.insertNew(List.of(Map.entry("n1", 1), Map.entry("k", 3))));
    assertEquals(Optional.empty(), t.lookup("n1"));
    assertTrue(t.insertNew(List.of(Map.entry("n1", 1), Map.entry("n2", 2))));
    assertEquals(Optional.of(1), t.lookup("n1"));
    assertTrue(t.insertNew("n3", 3));

    BagTable<String, Integer> bag = BagTable.<String, Integer>builder().create();
    bag.insert("k", 1);
    assertFalse(bag.insertNew("k", 99)); // for bags an existing key is enough
    assertFalse(bag.insertNew(List.of(Map.entry("x", 1), Map.entry("k", 5))));
    assertEquals(List.of(), bag.lookup("x"));
    assertTrue(bag.insertNew(List.of(Map.entry("x", 1), Map.entry("x", 2))));
    assertEquals(List.of(1, 2), bag.lookup("x"));

    Table<Integer, String> ord = ordered(1, 2);
    assertFalse(ord.insertNew(Map.of(3, "c", 2, "b")));
    assertFalse(ord.member(3));
    assertTrue(ord.insertNew(Map.of(3, "c", 4, "d")));
    assertEquals(4, ord.size());
  }

  // ------------------------------------------------------------------ ETS-19

  @Test
  void ets19_lookupElementAndMember(Node node) {
    Table<String, Animal> t = Table.<String, Animal>builder().create();
    t.insert("k", new Animal("k", "dog", 2));
    NoSuchElementException missing =
        assertThrows(NoSuchElementException.class, () -> t.lookupElement("nokey", Animal::legs));
    assertTrue(missing.getMessage().contains("nokey"), missing.getMessage());
    assertEquals(2, t.lookupElement("k", Animal::legs));
    assertEquals("dog", t.lookupElement("k").kind());
    assertTrue(t.member("k"));
    assertFalse(t.member("nokey"));

    BagTable<String, Animal> bag = BagTable.<String, Animal>builder().create();
    bag.insert("k", new Animal("a", "dog", 4));
    bag.insert("k", new Animal("b", "cat", 3));
    assertEquals(List.of(4, 3), bag.lookupElement("k", Animal::legs));
    assertThrows(NoSuchElementException.class, () -> bag.lookupElement("none", Animal::legs));
    assertTrue(bag.member("k"));
  }

  // ------------------------------------------------------------------ ETS-20

  @Test
  void ets20_delete_deleteObject_deleteAllObjects_take(Node node) {
    BagTable<String, Integer> dup =
        BagTable.<String, Integer>builder().type(TableType.DUPLICATE_BAG).create();
    dup.insert(List.of(Map.entry("k", 1), Map.entry("k", 2), Map.entry("k", 1)));
    assertTrue(dup.deleteObject("k", 1));
    assertEquals(List.of(2), dup.lookup("k"));
    assertEquals(1, dup.size());
    assertFalse(dup.deleteObject("k", 7));

    Table<String, Integer> set = Table.<String, Integer>builder().create();
    set.insert("k", 2);
    assertFalse(set.deleteObject("k", 3)); // a different value: nothing happens
    assertEquals(Optional.of(2), set.lookup("k"));
    assertEquals(Optional.of(2), set.take("k"));
    assertEquals(Optional.empty(), set.take("k"));
    assertFalse(set.delete("missing")); // never fails
    set.insert("a", 1);
    assertTrue(set.delete("a"));
    set.insert(Map.of("x", 1, "y", 2));
    set.deleteAllObjects();
    assertEquals(0, set.size());
    assertEquals(List.of(), set.toList());
    set.insert("z", 26); // the table itself stays
    assertEquals(1, set.size());

    assertEquals(List.of(2), dup.take("k"));
    assertEquals(List.of(), dup.take("k"));
    dup.insert("q", 1);
    dup.deleteAllObjects();
    assertEquals(0, dup.size());

    Table<Integer, String> ord = ordered(1, 2, 3);
    assertTrue(ord.deleteObject(2, "v2"));
    assertFalse(ord.deleteObject(3, "other"));
    assertEquals(Optional.of("v3"), ord.take(3));
    ord.deleteAllObjects();
    assertEquals(Optional.empty(), ord.first());
    assertEquals(0, ord.size());
  }

  // ------------------------------------------------------------------ ETS-21

  @Test
  void ets21_updateCounter_incrementThresholdDefault(Node node) {
    Table<String, Long> t = Table.<String, Long>builder().create();
    t.insert("c", 10L);
    assertEquals(15, t.updateCounter("c", 5));
    assertEquals(10, t.updateCounter("c", -5));
    t.insert("w", 9L);
    assertEquals(0, t.updateCounter("w", 5, 10, 0)); // 14 > 10: reset to 0
    t.insert("d", 5L);
    assertEquals(-1, t.updateCounter("d", -10, 0, -1)); // -5 < 0: set to -1
    assertEquals(11, t.updateCounter("nk", 1, 10L));
    assertEquals(Optional.of(11L), t.lookup("nk"));
    NoSuchElementException missing =
        assertThrows(NoSuchElementException.class, () -> t.updateCounter("none", 1));
    assertTrue(missing.getMessage().contains("none"), missing.getMessage());
    assertFalse(t.member("none"));

    Table<String, Integer> ints = Table.<String, Integer>builder().ordered().create();
    ints.insert("i", Integer.MAX_VALUE - 1);
    assertEquals(Integer.MAX_VALUE, ints.updateCounter("i", 1));
    assertInstanceOf(Integer.class, ints.get("i"));
    assertThrows(IllegalArgumentException.class, () -> ints.updateCounter("i", 1));
    assertEquals(Integer.MAX_VALUE, ints.get("i")); // a failure changes nothing
    assertEquals(3, ints.updateCounter("new", 2, 1));

    Table<String, Object> mixed = Table.<String, Object>builder().create();
    mixed.insert("m", "not a number");
    assertThrows(IllegalArgumentException.class, () -> mixed.updateCounter("m", 1));
    assertEquals("not a number", mixed.get("m"));
    assertThrows(IllegalArgumentException.class, () -> mixed.updateCounter("q", 1, "text"));
  }

  @Test
  void ets21_severalCountersInOneRecord_updatedTogetherOrNotAtAll(Node node) {
    // ETS's update_counter(T, K, [{2,1},{3,10}]) on a record: one atomic update of both fields
    Table<String, Counter> t = Table.<String, Counter>builder().create();
    t.insert("c", new Counter(10, 0));
    Counter c = t.update("c", x -> new Counter(x.hits() + 1, x.misses() + 10)).orElseThrow();
    assertEquals(new Counter(11, 10), c);
    assertThrows(
        ArithmeticException.class,
        () ->
            t.update(
                "c", x -> new Counter(x.hits() + 1, Math.addExact(x.misses(), Long.MAX_VALUE))));
    assertEquals(new Counter(11, 10), t.get("c")); // the failure applied none of the updates
  }

  // ------------------------------------------------------------------ ETS-22

  @Test
  void ets22_updateElement_asUpdate(Node node) {
    for (Table<String, Elem> t :
        List.of(
            Table.<String, Elem>builder().create(),
            Table.<String, Elem>builder().ordered().create())) {
      t.insert("e", new Elem("e", "a", "b"));
      assertEquals(
          Optional.of(new Elem("e", "x", "y")), t.update("e", v -> v.withA("x").withB("y")));
      assertEquals(new Elem("e", "x", "y"), t.get("e"));
      assertEquals(Optional.empty(), t.update("nokey", v -> v.withA("x")));
      assertFalse(t.member("nokey"));
      assertThrows(NullPointerException.class, () -> t.update("e", v -> null));
      assertEquals(new Elem("e", "x", "y"), t.get("e"));
      assertEquals(new Elem("n", "1", "2"), t.compute("n", (k, v) -> new Elem(k, "1", "2")));
      assertEquals(null, t.compute("n", (k, v) -> null)); // null deletes, as Map.compute
      assertFalse(t.member("n"));
    }
  }

  @Test
  void ets22_bagTables_haveNoCounterOrElementUpdates(Node node) {
    // ETS answers badarg; here the operations do not exist on BagTable at all
    Set<String> names = new HashSet<>();
    for (var m : BagTable.class.getMethods()) {
      names.add(m.getName());
    }
    assertFalse(names.contains("updateCounter"));
    assertFalse(names.contains("update"));
    assertFalse(names.contains("compute"));
    assertTrue(names.contains("insert"));
  }

  // ------------------------------------------------------------------ ETS-23

  @Test
  void ets23_orderedTraversal_firstNextLastPrev(Node node) {
    Table<Integer, String> t = ordered(1, 3, 5);
    assertEquals(Optional.of(1), t.first());
    assertEquals(Optional.of(5), t.last());
    assertEquals(Optional.of(3), t.next(2));
    assertEquals(Optional.of(3), t.prev(4));
    assertEquals(Optional.empty(), t.next(5));
    assertEquals(Optional.empty(), t.prev(1));
    assertEquals(Optional.empty(), ordered().first());
    assertEquals(Optional.empty(), ordered().last());
  }

  @Test
  void ets23_hashTraversal_visitsAll_andRejectsUnknownKeys(Node node) {
    Table<Integer, Integer> t = Table.<Integer, Integer>builder().create();
    assertEquals(Optional.empty(), t.first());
    for (int i = 0; i < 50; i++) {
      t.insert(i, i);
    }
    Set<Integer> seen = new HashSet<>();
    for (Optional<Integer> k = t.first(); k.isPresent(); k = t.next(k.get())) {
      assertTrue(seen.add(k.get()), "visited twice: " + k.get());
    }
    assertEquals(50, seen.size());
    assertEquals(t.first(), t.last());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.next(999));
    assertTrue(e.getMessage().contains("999"), e.getMessage());
    // next on a key the thread did not just visit still works when the key is present
    Set<Integer> again = new HashSet<>();
    for (Optional<Integer> k = t.next(t.first().get()); k.isPresent(); k = t.prev(k.get())) {
      again.add(k.get());
    }
    assertEquals(49, again.size());

    BagTable<String, Integer> bag = BagTable.<String, Integer>builder().create();
    bag.insert(List.of(Map.entry("a", 1), Map.entry("a", 2), Map.entry("b", 3)));
    Set<String> keys = new HashSet<>();
    for (Optional<String> k = bag.first(); k.isPresent(); k = bag.next(k.get())) {
      keys.add(k.get());
    }
    assertEquals(Set.of("a", "b"), keys);
  }

  // ------------------------------------------------------------------ ETS-24

  @Test
  void ets24_fixedSet_firstNextLoopThatDeletes_visitsAll(Node node) {
    Table<Integer, Integer> t = Table.<Integer, Integer>builder().create();
    for (int i = 0; i < 100; i++) {
      t.insert(i, i);
    }
    t.safeFixtable(true);
    int visited = 0;
    for (Optional<Integer> k = t.first(); k.isPresent(); ) {
      visited++;
      t.delete(k.get());
      k = t.next(k.get()); // next on the key just deleted
    }
    t.safeFixtable(false);
    assertEquals(100, visited);
    assertEquals(0, t.size());
    assertEquals(List.of(), t.toList());
  }

  @Test
  void ets24_fixationKeepsDeletedKeysPlaceable_withoutItTheyAreNot(Node node) {
    for (boolean fix : new boolean[] {true, false}) {
      Table<Integer, Integer> t = Table.<Integer, Integer>builder().create();
      for (int i = 0; i < 20; i++) {
        t.insert(i, i);
      }
      if (fix) {
        t.safeFixtable(true);
      }
      int k = t.first().orElseThrow();
      t.delete(k);
      // another traversal on the same thread moves this thread's cursor away from k
      for (Optional<Integer> o = t.first(); o.isPresent(); o = t.next(o.get())) {
        assertTrue(o.get() != k);
      }
      if (fix) {
        Set<Integer> rest = new HashSet<>();
        for (Optional<Integer> o = t.next(k); o.isPresent(); o = t.next(o.get())) {
          rest.add(o.get());
        }
        assertFalse(rest.contains(k));
        assertFalse(t.member(k));
        assertEquals(19, t.size());
        t.safeFixtable(false);
        assertEquals(19, t.size());
        assertFalse(t.member(k));
      } else {
        assertThrows(IllegalArgumentException.class, () -> t.next(k));
      }
    }
  }

  @Test
  void ets24_fixationIsCountedPerProcess_andReleasedWhenItDies(Node node) {
    Table<String, Integer> t = Table.<String, Integer>builder().access(Access.PUBLIC).create();
    t.safeFixtable(true);
    t.safeFixtable(true);
    t.safeFixtable(false);
    assertTrue(t.info().orElseThrow().fixed());
    t.safeFixtable(false);
    assertFalse(t.info().orElseThrow().fixed());
    t.safeFixtable(false); // unfixing an unfixed table does nothing

    Actor p = Actor.spawn(node);
    p.run(
        () -> {
          t.safeFixtable(true);
          t.safeFixtable(true);
        });
    assertEquals(Map.of(p.pid, 2), t.info().orElseThrow().fixations());
    MonitorRef ref = Processes.monitor(p.pid);
    Processes.exit(p.pid, ExitReason.KILL);
    Expect.down(ref);
    assertFalse(t.info().orElseThrow().fixed());
  }

  @Test
  void ets24_fixedTable_deleteAllAndTakeAndUpdatesWhileFixed(Node node) {
    BagTable<String, Integer> bag = BagTable.<String, Integer>builder().create();
    bag.insert(List.of(Map.entry("a", 1), Map.entry("a", 2), Map.entry("b", 3)));
    bag.safeFixtable(true);
    assertEquals(List.of(1, 2), bag.take("a"));
    assertFalse(bag.member("a"));
    assertEquals(1, bag.size());
    bag.insert("a", 9); // re-inserting over a deleted key
    assertEquals(List.of(9), bag.lookup("a"));
    assertTrue(bag.deleteObject("a", 9));
    bag.deleteAllObjects();
    assertEquals(0, bag.size());
    assertEquals(List.of(), bag.toList());
    bag.safeFixtable(false);
    assertEquals(0, bag.size());

    Table<String, Long> set = Table.<String, Long>builder().create();
    set.insert("c", 1L);
    set.safeFixtable(true);
    set.delete("c");
    assertEquals(5, set.updateCounter("c", 4, 1L));
    assertEquals(Optional.of(5L), set.take("c"));
    assertTrue(set.insertNew("c", 7L));
    assertEquals(Long.valueOf(8), set.compute("c", (k, v) -> v + 1));
    assertEquals(1, set.size());
    set.safeFixtable(false);
    assertEquals(List.of(Map.entry("c", 8L)), set.toList());
  }

  // ------------------------------------------------------------------ ETS-25

  @Test
  void ets25_selectFamily_onOrderedSet(Node node) {
    Table<String, Animal> t = Table.<String, Animal>builder().ordered().create();
    for (Animal a :
        List.of(
            new Animal("rufsen", "dog", 7),
            new Animal("brunte", "horse", 5),
            new Animal("ludde", "dog", 5))) {
      t.insert(a.name(), a);
    }
    // match(T, {'_', dog, '$1'}) -> [[5], [7]]
    assertEquals(List.of(5, 7), t.select((k, a) -> a.kind().equals("dog"), (k, a) -> a.legs()));
    assertEquals(
        List.of("ludde", "rufsen"),
        t.select((k, a) -> a.kind().equals("dog")).stream().map(Animal::name).toList());
    assertEquals(2, t.selectCount((k, a) -> a.kind().equals("dog")));
    assertEquals(0, t.selectCount((k, a) -> false));
    assertEquals(2, t.selectDelete((k, a) -> a.kind().equals("dog")));
    assertEquals(List.of("brunte"), t.select((k, a) -> true, (k, a) -> k));
  }

  @Test
  void ets25_chunkedSelect_andFolds(Node node) {
    Table<Integer, String> t = ordered(1, 2, 3, 4, 5);
    SelectChunk<Integer> c1 = t.select((k, v) -> true, (k, v) -> k, 2).orElseThrow();
    assertEquals(List.of(1, 2), c1.results());
    SelectChunk<Integer> c2 = c1.next().orElseThrow();
    assertEquals(List.of(3, 4), c2.results());
    SelectChunk<Integer> c3 = c2.next().orElseThrow();
    assertEquals(List.of(5), c3.results());
    assertEquals(Optional.empty(), c3.next());
    assertSame(c2, c1.next().orElseThrow());
    assertEquals(Optional.empty(), t.select((k, v) -> false, (k, v) -> k, 2));
    assertThrows(IllegalArgumentException.class, () -> t.select((k, v) -> true, (k, v) -> k, 0));

    assertEquals("12345", t.foldl("", (acc, k, v) -> acc + k));
    assertEquals("54321", t.foldr("", (acc, k, v) -> acc + k));

    BagTable<Integer, Integer> bag =
        BagTable.<Integer, Integer>builder().type(TableType.DUPLICATE_BAG).create();
    List<Map.Entry<Integer, Integer>> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      rows.add(Map.entry(i % 7, i));
    }
    bag.insert(rows);
    List<Integer> all = new ArrayList<>();
    for (Optional<SelectChunk<Integer>> c = bag.select((k, v) -> v % 2 == 0, (k, v) -> v, 4);
        c.isPresent();
        c = c.get().next()) {
      assertTrue(c.get().results().size() <= 4 && !c.get().results().isEmpty());
      all.addAll(c.get().results());
    }
    all.sort(null);
    List<Integer> evens = new ArrayList<>();
    for (int i = 0; i < 30; i += 2) {
      evens.add(i);
    }
    assertEquals(evens, all);
    assertEquals(435, (int) bag.foldl(0, (acc, k, v) -> acc + v));
    assertEquals(15, bag.selectDelete((k, v) -> v % 2 == 1));
    assertEquals(15, bag.size());
  }

  @Test
  void ets25_privateTable_selectContinuationChecksAccess(Node node) {
    Table<Integer, String> t = Table.<Integer, String>builder().access(Access.PRIVATE).create();
    for (int i = 0; i < 10; i++) {
      t.insert(i, "v");
    }
    SelectChunk<Integer> c = t.select((k, v) -> true, (k, v) -> k, 3).orElseThrow();
    Actor other = Actor.spawn(node);
    assertThrows(TableAccessException.class, () -> other.call(c::next));
  }

  // ------------------------------------------------------------------ shared values

  @Test
  void valuesAreShared_notCopied(Node node) {
    Table<String, int[]> t = Table.<String, int[]>builder().create();
    int[] array = {1, 2, 3};
    t.insert("a", array);
    assertSame(array, t.get("a"));
    array[0] = 42; // a mutable value changes for every reader: store immutable values
    assertEquals(42, t.get("a")[0]);
    Table<String, List<Integer>> lists = Table.<String, List<Integer>>builder().create();
    List<Integer> mutable = new ArrayList<>(Arrays.asList(1, 2));
    lists.insert("l", List.copyOf(mutable)); // the recommended way: store an immutable copy
    mutable.add(3);
    assertEquals(List.of(1, 2), lists.get("l"));
  }

  @Test
  void batchInsert_keepsOrder_lastDuplicateWins(Node node) {
    Table<String, Integer> t = Table.<String, Integer>builder().create();
    t.insert(List.of(Map.entry("k", 1), Map.entry("k", 2)));
    assertEquals(Optional.of(2), t.lookup("k"));
    Map<String, Integer> ordered = new LinkedHashMap<>();
    ordered.put("a", 1);
    ordered.put("b", 2);
    t.insert(ordered);
    assertEquals(3, t.size());
    List<Map.Entry<String, Integer>> withNull = new ArrayList<>();
    withNull.add(Map.entry("x", 1));
    withNull.add(new AbstractMap.SimpleEntry<>("y", null));
    assertThrows(NullPointerException.class, () -> t.insert(withNull));
    assertFalse(t.member("x"));
  }
}
