// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * An ordered_set: a {@link ConcurrentSkipListMap} index for order and traversal, plus, when the
 * keys allow it, a {@link ConcurrentHashMap} for point lookups.
 *
 * <h2>Why two structures</h2>
 *
 * A skip list lookup on a million keys follows some twenty pointers to cold nodes; a hash lookup
 * follows two. So point reads ({@code get}, {@code lookup}, {@code member}...) go to the hash map
 * while traversals ({@code first}/{@code next}, select, fold) go to the skip list. This is only
 * correct when the key order agrees with {@code equals}, which holds for the natural order of
 * String, the boxed integer types, Double, Float, Character, Boolean, BigInteger, UUID and enums
 * ({@link #CONSISTENT}). A table with a Comparator, or one that receives a key of another class,
 * has no hash map (switched off under the write lock, once) and reads through the skip list.
 *
 * <h2>Writers</h2>
 *
 * Writes update both structures (skip list first), so they must not interleave: on PRIVATE and
 * PROTECTED tables the single writer is the owner; on PUBLIC tables a ReentrantLock ({@link
 * #writers}) serialises them. Multi-object writes also hold {@link #lock}'s write mode, so that
 * optimistic point reads retry. Between the two updates of one write a traversal and a point read
 * may disagree for an instant, which traversals' weak consistency allows.
 */
final class OrderedSetTable<K, V> extends AbstractTable<K, V> implements CounterTable<K, V> {

  /** Classes whose natural order is consistent with equals, so a hash map can answer lookups. */
  static final ClassValue<Boolean> CONSISTENT =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
          return c == String.class
              || c == Long.class
              || c == Integer.class
              || c == Short.class
              || c == Byte.class
              || c == Character.class
              || c == Boolean.class
              || c == Double.class
              || c == Float.class
              || c == BigInteger.class
              || c == UUID.class
              || Enum.class.isAssignableFrom(c);
        }
      };

  private static final class Store<K, V> {
    final ConcurrentSkipListMap<K, V> index;
    final ConcurrentHashMap<K, V> hash; // null: point reads go through the index

    Store(ConcurrentSkipListMap<K, V> index, ConcurrentHashMap<K, V> hash) {
      this.index = index;
      this.hash = hash;
    }
  }

  private final Comparator<? super K> order; // null: natural order
  private final ReentrantLock writers = new ReentrantLock();
  private volatile Store<K, V> store;
  // a separate object, so that writes to it do not invalidate readers' copy of this one
  private final LongAdder count = new LongAdder();
  private volatile Class<?> keyClass; // the class of the first key, for hash-map misses

  OrderedSetTable(TableSpec spec, Node node, Pid owner, Comparator<? super K> order) {
    super(spec, node, owner);
    this.order = order == null || (Object) order == Comparator.naturalOrder() ? null : order;
    this.store = emptyStore();
  }

  private Store<K, V> emptyStore() {
    return new Store<>(
        new ConcurrentSkipListMap<>(order), order == null ? new ConcurrentHashMap<>() : null);
  }

  private Store<K, V> store() {
    Store<K, V> st = store;
    if (st == null) {
      throw gone();
    }
    return st;
  }

  private IllegalArgumentException incomparable(Object key, ClassCastException e) {
    return new IllegalArgumentException(
        "key "
            + key
            + " ("
            + key.getClass().getName()
            + ") cannot be compared with the keys of "
            + this
            + " ("
            + e.getMessage()
            + "); give the table a Comparator that orders all "
            + "its keys, such as Comparator.comparingDouble(Number::doubleValue) for numbers",
        e);
  }

  // ------------------------------------------------------------------ reads

  private V find(Store<K, V> st, K key) {
    ConcurrentHashMap<K, V> h = st.hash;
    if (h != null) {
      // The map answers for every key of a class it serves; the index, which a put writes
      // first, is asked only about keys of another class. keyClass is read before the map and
      // is null until the first put has completed, and until then the map answers too: a reader
      // that went to the index then could see a key its put has not yet written to the map,
      // and a later reader, trusting the map, would not see it again.
      Class<?> kc = keyClass;
      V v = h.get(key);
      if (v != null || kc == null || key.getClass() == kc) {
        return v;
      }
      // a miss with a key of another class: the index decides (it may find a key the order
      // calls equal, or fail because the classes cannot be compared)
    }
    try {
      return st.index.get(key);
    } catch (ClassCastException e) {
      throw incomparable(key, e);
    }
  }

  @Override
  public V get(K key) {
    Objects.requireNonNull(key, "key");
    checkRead();
    long s = lock.tryOptimisticRead();
    Store<K, V> st = store;
    if (s != 0L && st != null) {
      V v = find(st, key);
      if (lock.validate(s)) {
        return v;
      }
    }
    s = lock.readLock();
    try {
      return find(store(), key);
    } finally {
      lock.unlockRead(s);
    }
  }

  @Override
  public Optional<V> lookup(K key) {
    return Optional.ofNullable(get(key));
  }

  @Override
  public V lookupElement(K key) {
    V v = get(key);
    if (v == null) {
      throw new NoSuchElementException("no object with key " + key + " in " + this);
    }
    return v;
  }

  @Override
  public boolean member(K key) {
    return get(key) != null;
  }

  @Override
  long sizeNow() {
    store();
    return Math.max(0L, count.sum());
  }

  // ------------------------------------------------------------------ writers

  @Override
  <R> R publicWrite(Supplier<R> action) {
    writers.lock();
    try {
      return action.get();
    } finally {
      writers.unlock();
    }
  }

  @Override
  <R> R publicWriteAll(Supplier<R> action) {
    writers.lock();
    try {
      return exclusively(action);
    } finally {
      writers.unlock();
    }
  }

  @Override
  void dropStore() {
    store = null;
  }

  /** The store to write {@code key} into: without the hash map if the key's class needs it. */
  private Store<K, V> storeFor(Store<K, V> st, K key, boolean locked) {
    Class<?> c = key.getClass();
    if (st.hash == null || c == keyClass || CONSISTENT.get(c)) {
      return st;
    }
    Store<K, V> indexOnly = new Store<>(st.index, null);
    if (locked) {
      store = indexOnly;
    } else {
      long s = lock.writeLock(); // optimistic readers of the old hash map retry
      try {
        store = indexOnly;
      } finally {
        lock.unlockWrite(s);
      }
    }
    return indexOnly;
  }

  /** Puts one object; the caller is the only writer. {@return the old value, or null} */
  private V put(K key, V value, boolean locked) {
    Store<K, V> st = storeFor(store(), key, locked);
    V old;
    try {
      old = st.index.put(key, value);
    } catch (ClassCastException e) {
      throw incomparable(key, e);
    }
    if (st.hash != null) {
      st.hash.put(key, value);
    }
    if (keyClass == null && st.hash != null) { // only a class the hash map may serve
      keyClass = key.getClass();
    }
    if (old == null) {
      count.increment();
    }
    return old;
  }

  /** Removes one object; the caller is the only writer. {@return the old value, or null} */
  private V remove(K key) {
    Store<K, V> st = store();
    V old;
    try {
      old = st.index.remove(key);
    } catch (ClassCastException e) {
      throw incomparable(key, e);
    }
    if (old != null) {
      if (st.hash != null) {
        st.hash.remove(key);
      }
      count.decrement();
    }
    return old;
  }

  // ------------------------------------------------------------------ writes

  @Override
  public void insert(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    // the hot path, spelled out so that the JIT sees one lambda per call site and allocates none
    if (access == Access.PUBLIC) {
      Processes.ensureAlive();
      writers.lock();
      try {
        put(key, value, false);
      } finally {
        writers.unlock();
      }
      return;
    }
    Processes.whileAlive(
        () -> {
          checkOwnerWrite();
          return put(key, value, false);
        });
  }

  /** Sorts a batch by the table's order, so that an incomparable key fails before any write. */
  private NavigableMap<K, V> sorted(
      Collection<? extends Map.Entry<? extends K, ? extends V>> objects) {
    List<Object> kv = HashSetTable.flatten(objects);
    TreeMap<K, V> batch = new TreeMap<>(order);
    for (int i = 0; i < kv.size(); i += 2) {
      K k = HashSetTable.key(kv, i);
      @SuppressWarnings("unchecked")
      V v = (V) kv.get(i + 1);
      try {
        batch.put(k, v);
      } catch (ClassCastException e) {
        throw incomparable(k, e);
      }
    }
    return batch;
  }

  /** Checks that the batch's keys compare with the table's; holds the write lock. */
  private void checkComparable(NavigableMap<K, V> batch) {
    ConcurrentSkipListMap<K, V> index = store().index;
    Map.Entry<K, V> any = index.firstEntry();
    if (any != null && !batch.isEmpty()) {
      K k = batch.firstKey();
      try {
        if (order == null) {
          @SuppressWarnings("unchecked")
          Comparable<Object> c = (Comparable<Object>) k;
          c.compareTo(any.getKey());
        } else {
          order.compare(k, any.getKey());
        }
      } catch (ClassCastException e) {
        throw incomparable(k, e);
      }
    }
  }

  @Override
  public void insert(Collection<? extends Map.Entry<? extends K, ? extends V>> objects) {
    NavigableMap<K, V> batch = sorted(objects);
    if (batch.isEmpty()) {
      write(() -> null);
      return;
    }
    writeAll(
        () -> {
          checkComparable(batch);
          batch.forEach((k, v) -> put(k, v, true));
          return null;
        });
  }

  @Override
  public boolean insertNew(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return write(
        () -> {
          if (find(store(), key) != null) {
            return false;
          }
          put(key, value, false);
          return true;
        });
  }

  @Override
  public boolean insertNew(Collection<? extends Map.Entry<? extends K, ? extends V>> objects) {
    NavigableMap<K, V> batch = sorted(objects);
    return writeAll(
        () -> {
          checkComparable(batch);
          Store<K, V> st = store();
          for (K k : batch.keySet()) {
            if (find(st, k) != null) {
              return false;
            }
          }
          batch.forEach((k, v) -> put(k, v, true));
          return true;
        });
  }

  @Override
  public boolean delete(K key) {
    Objects.requireNonNull(key, "key");
    return write(() -> remove(key) != null);
  }

  @Override
  public boolean deleteObject(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return write(() -> deleteMatched(key, value) > 0);
  }

  @Override
  long deleteMatched(K key, V value) {
    V cur = find(store(), key);
    if (cur != null && cur.equals(value)) {
      remove(key);
      return 1;
    }
    return 0;
  }

  @Override
  public void deleteAllObjects() {
    writeAll(
        () -> {
          store();
          store = emptyStore();
          count.reset();
          return null;
        });
  }

  @Override
  public Optional<V> take(K key) {
    Objects.requireNonNull(key, "key");
    return write(() -> Optional.ofNullable(remove(key)));
  }

  // ------------------------------------------------------------------ atomic updates

  @Override
  public long counter(
      K key, long incr, V initial, boolean bounded, long threshold, long setValue) {
    return write(
        () -> {
          V cur = find(store(), key);
          Object base = cur != null ? cur : initial;
          if (base == null) {
            throw new NoSuchElementException(
                "no counter with key "
                    + key
                    + " in "
                    + this
                    + "; give an initial value to create it");
          }
          Object next = Counters.add(key, base, incr, bounded, threshold, setValue);
          @SuppressWarnings("unchecked")
          V v = (V) next;
          put(key, v, false);
          return Counters.asLong(next);
        });
  }

  @Override
  public Optional<V> update(K key, UnaryOperator<V> fn) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(fn, "fn");
    return write(
        () -> {
          V cur = find(store(), key);
          if (cur == null) {
            return Optional.<V>empty();
          }
          V next = Objects.requireNonNull(fn.apply(cur), "update function returned null");
          put(key, next, false);
          return Optional.of(next);
        });
  }

  @Override
  public V compute(K key, BiFunction<? super K, ? super V, ? extends V> fn) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(fn, "fn");
    return write(
        () -> {
          V cur = find(store(), key);
          V next = fn.apply(key, cur);
          if (next == null) {
            if (cur != null) {
              remove(key);
            }
            return null;
          }
          put(key, next, false);
          return next;
        });
  }

  // ------------------------------------------------------------------ traversal

  @Override
  public Optional<K> first() {
    checkRead();
    Map.Entry<K, V> e = store().index.firstEntry();
    return e == null ? Optional.empty() : Optional.of(e.getKey());
  }

  @Override
  public Optional<K> last() {
    checkRead();
    Map.Entry<K, V> e = store().index.lastEntry();
    return e == null ? Optional.empty() : Optional.of(e.getKey());
  }

  @Override
  public Optional<K> next(K key) {
    Objects.requireNonNull(key, "key");
    checkRead();
    try {
      return Optional.ofNullable(store().index.higherKey(key));
    } catch (ClassCastException e) {
      throw incomparable(key, e);
    }
  }

  @Override
  public Optional<K> prev(K key) {
    Objects.requireNonNull(key, "key");
    checkRead();
    try {
      return Optional.ofNullable(store().index.lowerKey(key));
    } catch (ClassCastException e) {
      throw incomparable(key, e);
    }
  }

  @Override
  void forEachObject(Visitor<? super K, ? super V> visitor, boolean reverse) {
    ConcurrentSkipListMap<K, V> index = store().index;
    NavigableMap<K, V> view = reverse ? index.descendingMap() : index;
    for (Map.Entry<K, V> e : view.entrySet()) {
      if (!visitor.visit(e.getKey(), e.getValue())) {
        return;
      }
    }
  }

  @Override
  <R> Optional<SelectChunk<R>> selectChunk(
      BiPredicate<? super K, ? super V> where,
      BiFunction<? super K, ? super V, ? extends R> body,
      int limit) {
    return chunkAfter(null, where, body, limit);
  }

  /** The chunk of matches after {@code after} (from the start if null), in key order. */
  private <R> Optional<SelectChunk<R>> chunkAfter(
      K after,
      BiPredicate<? super K, ? super V> where,
      BiFunction<? super K, ? super V, ? extends R> body,
      int limit) {
    checkRead();
    ConcurrentSkipListMap<K, V> index = store().index;
    NavigableMap<K, V> view = after == null ? index : index.tailMap(after, false);
    List<R> out = new ArrayList<>(Math.min(limit, 64));
    K lastKey = null;
    for (Map.Entry<K, V> e : view.entrySet()) {
      if (where.test(e.getKey(), e.getValue())) {
        out.add(
            Objects.requireNonNull(
                body.apply(e.getKey(), e.getValue()), "select body returned null"));
        if (out.size() == limit) {
          lastKey = e.getKey();
          break;
        }
      }
    }
    if (out.isEmpty()) {
      return Optional.empty();
    }
    if (lastKey == null) { // the traversal reached the end
      return Optional.of(new SelectChunk<>(out, Optional::empty));
    }
    K from = lastKey;
    return Optional.of(new SelectChunk<>(out, () -> chunkAfter(from, where, body, limit)));
  }
}
