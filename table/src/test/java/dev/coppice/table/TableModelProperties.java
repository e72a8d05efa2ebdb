// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.coppice.core.Node;
import dev.coppice.testkit.NodeExtension;
import dev.coppice.testkit.PropertyBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quicktheories.core.Gen;

/**
 * Action sequences run against a real table and a plain {@link java.util.Map} model side by side;
 * after every step the table must read exactly like the model. Fixing and unfixing are among the
 * actions, so the tombstones of fixed hash tables are exercised too.
 */
@ExtendWith(NodeExtension.class)
class TableModelProperties {
  private static final int KEYS = 12;

  /** One encoded action: {@code code % 11} is the operation, the rest picks a key and value. */
  private record Step(int code) {
    int op() {
      return code % 11;
    }

    int key() {
      return code / 11 % KEYS;
    }

    long value() {
      return code / (11 * KEYS) % 4;
    }

    @Override
    public String toString() {
      String[] names = {
        "insert",
        "delete",
        "take",
        "insertNew",
        "counter",
        "batch",
        "deleteObject",
        "fix",
        "unfix",
        "update",
        "clear"
      };
      return names[op()] + "(" + key() + "," + value() + ")";
    }
  }

  private static Gen<List<Step>> steps() {
    return lists().of(integers().between(0, 11 * KEYS * 4 - 1).map(Step::new)).ofSizeBetween(1, 80);
  }

  @Test
  void setsMatchTheirModel(Node node) {
    for (TableType type : new TableType[] {TableType.SET, TableType.ORDERED_SET}) {
      PropertyBudget budget =
          PropertyBudget.of("TableModelProperties " + type, 1_500, Duration.ofSeconds(3));
      qt().withExamples(budget.examples())
          .withTestingTime(budget.testingMillis(), TimeUnit.MILLISECONDS)
          .withShrinkCycles(budget.shrinkCycles())
          .forAll(steps())
          .checkAssert(steps -> budget.check(steps, s -> runSet(type, s)));
      budget.report();
    }
  }

  private static void runSet(TableType type, List<Step> steps) {
    Table<Integer, Long> t = Table.<Integer, Long>builder().type(type).create();
    Map<Integer, Long> model = type == TableType.ORDERED_SET ? new TreeMap<>() : new HashMap<>();
    int fixes = 0;
    try {
      for (Step s : steps) {
        int k = s.key();
        long v = s.value();
        switch (s.op()) {
          case 0 -> {
            t.insert(k, v);
            model.put(k, v);
          }
          case 1 -> assertEquals(model.remove(k) != null, t.delete(k), s.toString());
          case 2 -> assertEquals(Optional.ofNullable(model.remove(k)), t.take(k), s.toString());
          case 3 -> assertEquals(model.putIfAbsent(k, v) == null, t.insertNew(k, v), s.toString());
          case 4 -> {
            long expected = model.getOrDefault(k, 0L) + v;
            model.put(k, expected);
            assertEquals(expected, t.updateCounter(k, v, 0L), s.toString());
          }
          case 5 -> {
            Map<Integer, Long> batch = Map.of(k, v, (k + 1) % KEYS, v + 1);
            t.insert(batch);
            model.putAll(batch);
          }
          case 6 -> {
            boolean present = Long.valueOf(v).equals(model.get(k));
            if (present) {
              model.remove(k);
            }
            assertEquals(present, t.deleteObject(k, v), s.toString());
          }
          case 7 -> {
            t.safeFixtable(true);
            fixes++;
          }
          case 8 -> {
            t.safeFixtable(false);
            fixes = Math.max(0, fixes - 1);
          }
          case 9 ->
              assertEquals(
                  Optional.ofNullable(model.computeIfPresent(k, (x, old) -> old * 2 + 1)),
                  t.update(k, old -> old * 2 + 1),
                  s.toString());
          default -> {
            if (v == 0) { // rarer than the others
              t.deleteAllObjects();
              model.clear();
            }
          }
        }
        check(t, model, type, steps);
      }
    } finally {
      t.delete();
    }
  }

  private static void check(
      Table<Integer, Long> t, Map<Integer, Long> model, TableType type, List<Step> steps) {
    String ctx = type + " after " + steps;
    for (int k = 0; k < KEYS; k++) {
      assertEquals(model.get(k), t.get(k), ctx);
    }
    assertEquals(model.size(), t.size(), ctx);
    List<Integer> keys = new ArrayList<>();
    for (Optional<Integer> k = t.first(); k.isPresent(); k = t.next(k.get())) {
      keys.add(k.get());
    }
    if (type == TableType.ORDERED_SET) {
      assertEquals(new ArrayList<>(model.keySet()), keys, ctx);
      assertEquals(new ArrayList<>(model.entrySet()), t.toList(), ctx);
    } else {
      assertEquals(model.keySet(), new HashSet<>(keys), ctx);
      assertEquals(model.size(), keys.size(), ctx);
      assertEquals(model, toMap(t.toList()), ctx);
    }
  }

  private static Map<Integer, Long> toMap(List<Map.Entry<Integer, Long>> entries) {
    Map<Integer, Long> m = new HashMap<>();
    entries.forEach(e -> m.put(e.getKey(), e.getValue()));
    return m;
  }

  @Test
  void bagsMatchTheirModel(Node node) {
    for (TableType type : new TableType[] {TableType.BAG, TableType.DUPLICATE_BAG}) {
      PropertyBudget budget =
          PropertyBudget.of("TableModelProperties " + type, 1_500, Duration.ofSeconds(3));
      qt().withExamples(budget.examples())
          .withTestingTime(budget.testingMillis(), TimeUnit.MILLISECONDS)
          .withShrinkCycles(budget.shrinkCycles())
          .forAll(steps())
          .checkAssert(steps -> budget.check(steps, s -> runBag(type, s)));
      budget.report();
    }
  }

  private static void runBag(TableType type, List<Step> steps) {
    BagTable<Integer, Long> t = BagTable.<Integer, Long>builder().type(type).create();
    Map<Integer, List<Long>> model = new HashMap<>();
    boolean dup = type == TableType.DUPLICATE_BAG;
    try {
      for (Step s : steps) {
        int k = s.key();
        long v = s.value();
        List<Long> vs = model.computeIfAbsent(k, x -> new ArrayList<>());
        switch (s.op()) {
          case 0, 4, 9 -> {
            t.insert(k, v);
            if (dup || !vs.contains(v)) {
              vs.add(v);
            }
          }
          case 1 -> {
            assertEquals(!vs.isEmpty(), t.delete(k), s.toString());
            vs.clear();
          }
          case 2 -> {
            assertEquals(List.copyOf(vs), t.take(k), s.toString());
            vs.clear();
          }
          case 3 -> {
            boolean fresh = vs.isEmpty();
            assertEquals(fresh, t.insertNew(k, v), s.toString());
            if (fresh) {
              vs.add(v);
            }
          }
          case 5 -> {
            t.insert(List.of(Map.entry(k, v), Map.entry(k, v + 1)));
            for (long x : new long[] {v, v + 1}) {
              if (dup || !vs.contains(x)) {
                vs.add(x);
              }
            }
          }
          case 6 -> {
            boolean present = vs.contains(v);
            vs.removeIf(x -> x == v);
            assertEquals(present, t.deleteObject(k, v), s.toString());
          }
          case 7 -> t.safeFixtable(true);
          case 8 -> t.safeFixtable(false);
          default -> {
            if (v == 0) {
              t.deleteAllObjects();
              model.clear();
            }
          }
        }
        String ctx = type + " after " + steps;
        long size = 0;
        Set<Integer> liveKeys = new HashSet<>();
        for (int key = 0; key < KEYS; key++) {
          List<Long> expected = model.getOrDefault(key, List.of());
          assertEquals(expected, t.lookup(key), ctx);
          size += expected.size();
          if (!expected.isEmpty()) {
            liveKeys.add(key);
          }
        }
        assertEquals(size, t.size(), ctx);
        Set<Integer> traversed = new HashSet<>();
        for (Optional<Integer> key = t.first(); key.isPresent(); key = t.next(key.get())) {
          traversed.add(key.get());
        }
        assertEquals(liveKeys, traversed, ctx);
        assertEquals(size, t.toList().size(), ctx);
      }
    } finally {
      t.delete();
    }
  }
}
