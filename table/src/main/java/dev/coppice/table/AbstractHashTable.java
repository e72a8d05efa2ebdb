// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * The hash types (set, bag, duplicate_bag): a {@link ConcurrentHashMap} from key to a stored object
 * (the value for a set, an immutable array of values for a bag).
 *
 * <h2>Traversal and fixation</h2>
 *
 * A ConcurrentHashMap has no "key after K" operation, so {@code next(K)} continues a per-thread
 * cursor (a live iterator over the map, kept in a small array of slots) when K is the key that
 * thread's traversal just returned, and otherwise looks for K's position by iterating. While the
 * table is fixed, deletions leave a {@link #TOMB tombstone} in the map instead of removing the key,
 * exactly as ETS pseudo-deletes in fixed tables: every read treats a tombstone as absent, but a
 * deleted key keeps its position, so {@code next} works on it. The last unfix purges them.
 */
abstract sealed class AbstractHashTable<K, V> extends AbstractTable<K, V>
    permits HashSetTable, HashBagTable {

  /** A key deleted while the table was fixed. */
  static final Object TOMB =
      new Object() {
        @Override
        public String toString() {
          return "tombstone";
        }
      };

  private static final int SLOTS = 8; // a power of two

  volatile ConcurrentHashMap<K, Object> map = new ConcurrentHashMap<>();
  final AtomicLong tombs = new AtomicLong();
  private final Cursor<?>[] cursors = new Cursor<?>[SLOTS];

  private static final class Cursor<K> {
    final Thread thread = Thread.currentThread();
    final ConcurrentHashMap<K, Object> map;
    final Iterator<Map.Entry<K, Object>> it;
    K last;

    Cursor(ConcurrentHashMap<K, Object> map, Iterator<Map.Entry<K, Object>> it) {
      this.map = map;
      this.it = it;
    }
  }

  AbstractHashTable(TableSpec spec, Node node, Pid owner) {
    super(spec, node, owner);
  }

  final ConcurrentHashMap<K, Object> map() {
    ConcurrentHashMap<K, Object> m = map;
    if (m == null) {
      throw gone();
    }
    return m;
  }

  /**
   * Reads the stored object for {@code key}, isolated from multi-object writes.
   *
   * <p>While no multi-object write runs, a read is the map's {@code get} after one volatile read
   * of {@link #multiWrite}: no lock, no stamp to validate, nothing that stops the JIT from
   * overlapping the cache misses of consecutive lookups. A multi-object write raises the flag
   * before its first change, so a reader that saw any of its changes finds the flag raised on its
   * next read and waits in the lock's read mode until the whole write is in: no reader can see
   * part of it and then miss another part. A reader that found the flag down before the write
   * began may still read an old object, which orders that read before the write.
   */
  final Object read(K key) {
    if (multiWrite == 0) {
      ConcurrentHashMap<K, Object> m = map;
      if (m != null) {
        return m.get(key);
      }
    }
    long s = lock.readLock();
    try {
      return map().get(key);
    } finally {
      lock.unlockRead(s);
    }
  }

  static boolean live(Object stored) {
    return stored != null && stored != TOMB;
  }

  /**
   * Single-key writers of a PUBLIC hash table share {@link #lock}'s read mode, which excludes
   * multi-object writes but not each other (the map is atomic per key) nor readers.
   */
  @Override
  final <R> R publicWrite(Supplier<R> action) {
    long s = lock.readLock();
    try {
      return action.get();
    } finally {
      lock.unlockRead(s);
    }
  }

  @Override
  final <R> R publicWriteAll(Supplier<R> action) {
    return exclusively(action);
  }

  @Override
  final void dropStore() {
    map = null;
    Arrays.fill(cursors, null);
  }

  // ------------------------------------------------------------------ stored-object primitives

  /** Stores {@code stored} under {@code key}; {@return the live object it replaced, or null} */
  final Object putStored(ConcurrentHashMap<K, Object> m, K key, Object stored) {
    Object old = m.put(key, stored);
    if (old == TOMB) {
      tombs.decrementAndGet();
      return null;
    }
    return old;
  }

  /** Removes {@code key} (leaves a tombstone if fixed); {@return the live object, or null} */
  final Object removeStored(ConcurrentHashMap<K, Object> m, K key) {
    if (!fixed) {
      Object old = m.remove(key);
      if (old == TOMB) {
        tombs.decrementAndGet();
        return null;
      }
      return old;
    }
    for (; ; ) {
      Object old = m.get(key);
      if (!live(old)) {
        return null;
      }
      if (m.replace(key, old, TOMB)) {
        tombs.incrementAndGet();
        return old;
      }
    }
  }

  /** Removes {@code key} if it holds {@code expected}; {@return whether it did} */
  final boolean removeStored(ConcurrentHashMap<K, Object> m, K key, Object expected) {
    if (fixed) {
      if (m.replace(key, expected, TOMB)) {
        tombs.incrementAndGet();
        return true;
      }
      return false;
    }
    return m.remove(key, expected);
  }

  /** What a key that lost its last object holds: nothing, or a tombstone while fixed. */
  final Object emptied() {
    if (fixed) {
      tombs.incrementAndGet();
      return TOMB;
    }
    return null;
  }

  /** Deletes every object: a new map, or tombstones everywhere while fixed. Holds the lock. */
  final void clearStored() {
    ConcurrentHashMap<K, Object> m = map();
    if (fixed) {
      for (Map.Entry<K, Object> e : m.entrySet()) {
        if (live(e.getValue()) && m.replace(e.getKey(), e.getValue(), TOMB)) {
          tombs.incrementAndGet();
        }
      }
    } else {
      map = new ConcurrentHashMap<>();
      tombs.set(0);
    }
  }

  @Override
  final void unfixed() {
    ConcurrentHashMap<K, Object> m = map;
    if (m == null || tombs.get() == 0) {
      return;
    }
    for (K key : m.keySet()) {
      if (m.remove(key, TOMB)) {
        tombs.decrementAndGet();
      }
    }
  }

  // ------------------------------------------------------------------ traversal

  private static int slot() {
    return (int) Thread.currentThread().threadId() & (SLOTS - 1);
  }

  public final Optional<K> first() {
    checkRead();
    ConcurrentHashMap<K, Object> m = map();
    return advance(new Cursor<>(m, m.entrySet().iterator()), slot());
  }

  public final Optional<K> last() {
    return first();
  }

  public final Optional<K> next(K key) {
    Objects.requireNonNull(key, "key");
    checkRead();
    ConcurrentHashMap<K, Object> m = map();
    int slot = slot();
    @SuppressWarnings("unchecked")
    Cursor<K> c = (Cursor<K>) cursors[slot];
    if (c == null || c.thread != Thread.currentThread() || c.map != m || !key.equals(c.last)) {
      c = null;
      if (m.containsKey(key)) {
        Iterator<Map.Entry<K, Object>> it = m.entrySet().iterator();
        while (it.hasNext()) {
          if (key.equals(it.next().getKey())) {
            c = new Cursor<>(m, it);
            break;
          }
        }
      }
      if (c == null) {
        throw new IllegalArgumentException(
            "key "
                + key
                + " is not in "
                + this
                + ", so next/prev cannot place it: traverse with "
                + "first/next on one thread, or fix the table with safeFixtable while the loop "
                + "deletes keys");
      }
    }
    return advance(c, slot);
  }

  public final Optional<K> prev(K key) {
    return next(key);
  }

  private Optional<K> advance(Cursor<K> c, int slot) {
    while (c.it.hasNext()) {
      Map.Entry<K, Object> e = c.it.next();
      if (e.getValue() != TOMB) {
        c.last = e.getKey();
        cursors[slot] = c;
        return Optional.of(c.last);
      }
    }
    if (cursors[slot] == c) {
      cursors[slot] = null;
    }
    return Optional.empty();
  }

  /** Visits every value stored in one map entry; {@return false to stop} */
  abstract boolean visitStored(K key, Object stored, Visitor<? super K, ? super V> visitor);

  @Override
  final void forEachObject(Visitor<? super K, ? super V> visitor, boolean reverse) {
    for (Map.Entry<K, Object> e : map().entrySet()) {
      Object o = e.getValue();
      if (o != TOMB && !visitStored(e.getKey(), o, visitor)) {
        return;
      }
    }
  }

  @Override
  final <R> Optional<SelectChunk<R>> selectChunk(
      BiPredicate<? super K, ? super V> where,
      BiFunction<? super K, ? super V, ? extends R> body,
      int limit) {
    return chunk(map().entrySet().iterator(), where, body, limit);
  }

  private <R> Optional<SelectChunk<R>> chunk(
      Iterator<Map.Entry<K, Object>> it,
      BiPredicate<? super K, ? super V> where,
      BiFunction<? super K, ? super V, ? extends R> body,
      int limit) {
    List<R> out = new ArrayList<>(Math.min(limit, 64));
    // a bag key may hold more matches than fit: they spill into the following chunks
    while (out.size() < limit && it.hasNext()) {
      Map.Entry<K, Object> e = it.next();
      Object o = e.getValue();
      if (o != TOMB) {
        visitStored(
            e.getKey(),
            o,
            (k, v) -> {
              if (where.test(k, v)) {
                out.add(Objects.requireNonNull(body.apply(k, v), "select body returned null"));
              }
              return true;
            });
      }
    }
    if (out.isEmpty()) {
      return Optional.empty();
    }
    List<R> results = out.size() <= limit ? out : out.subList(0, limit);
    List<R> spill = out.size() <= limit ? List.of() : List.copyOf(out.subList(limit, out.size()));
    return Optional.of(
        new SelectChunk<>(results, () -> continueChunk(spill, it, where, body, limit)));
  }

  private <R> Optional<SelectChunk<R>> continueChunk(
      List<R> spill,
      Iterator<Map.Entry<K, Object>> it,
      BiPredicate<? super K, ? super V> where,
      BiFunction<? super K, ? super V, ? extends R> body,
      int limit) {
    checkRead();
    map();
    if (spill.isEmpty()) {
      return chunk(it, where, body, limit);
    }
    if (spill.size() > limit) {
      List<R> rest = spill.subList(limit, spill.size());
      return Optional.of(
          new SelectChunk<>(
              spill.subList(0, limit),
              () -> continueChunk(List.copyOf(rest), it, where, body, limit)));
    }
    return Optional.of(
        new SelectChunk<>(spill, () -> continueChunk(List.of(), it, where, body, limit)));
  }
}
