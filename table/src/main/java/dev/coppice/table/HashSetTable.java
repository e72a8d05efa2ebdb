// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * A set: a thin layer over a {@link ConcurrentHashMap} from key to value. A read is an access check
 * (a final-field compare, plus the owner field on PRIVATE tables), a volatile read of the
 * multi-object-write flag and the map's {@code get}; it allocates nothing.
 */
final class HashSetTable<K, V> extends AbstractHashTable<K, V> implements CounterTable<K, V> {

  HashSetTable(TableSpec spec, Node node, Pid owner) {
    super(spec, node, owner);
  }

  @SuppressWarnings("unchecked")
  private static <V> V value(Object stored) {
    return live(stored) ? (V) stored : null;
  }

  // ------------------------------------------------------------------ reads

  @Override
  public V get(K key) {
    Objects.requireNonNull(key, "key");
    checkRead();
    return value(read(key));
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
    ConcurrentHashMap<K, Object> m = map();
    return Math.max(0L, m.mappingCount() - tombs.get());
  }

  @Override
  boolean visitStored(K key, Object stored, Visitor<? super K, ? super V> visitor) {
    return visitor.visit(key, value(stored));
  }

  // ------------------------------------------------------------------ writes

  @Override
  public void insert(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    // the hot path, spelled out so that the JIT sees one lambda per call site and allocates none
    if (access == Access.PUBLIC) {
      Processes.ensureAlive();
      long s = lock.readLock();
      try {
        putStored(map(), key, value);
      } finally {
        lock.unlockRead(s);
      }
      return;
    }
    Processes.whileAlive(
        () -> {
          checkOwnerWrite();
          return putStored(map(), key, value);
        });
  }

  @Override
  public void insert(Collection<? extends Map.Entry<? extends K, ? extends V>> objects) {
    List<Object> kv = flatten(objects);
    if (kv.isEmpty()) {
      write(() -> null); // still checks access and that the table exists
      return;
    }
    writeAll(
        () -> {
          ConcurrentHashMap<K, Object> m = map();
          for (int i = 0; i < kv.size(); i += 2) {
            putStored(m, key(kv, i), kv.get(i + 1));
          }
          return null;
        });
  }

  @Override
  public boolean insertNew(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return write(() -> putNew(map(), key, value));
  }

  private boolean putNew(ConcurrentHashMap<K, Object> m, K key, Object value) {
    for (; ; ) {
      Object old = m.putIfAbsent(key, value);
      if (old == null) {
        return true;
      }
      if (old != TOMB) {
        return false;
      }
      if (m.replace(key, TOMB, value)) {
        tombs.decrementAndGet();
        return true;
      }
    }
  }

  @Override
  public boolean insertNew(Collection<? extends Map.Entry<? extends K, ? extends V>> objects) {
    List<Object> kv = flatten(objects);
    return writeAll(
        () -> {
          ConcurrentHashMap<K, Object> m = map();
          for (int i = 0; i < kv.size(); i += 2) {
            if (live(m.get(kv.get(i)))) {
              return false;
            }
          }
          for (int i = 0; i < kv.size(); i += 2) {
            putStored(m, key(kv, i), kv.get(i + 1));
          }
          return true;
        });
  }

  /** Copies the objects into [k0, v0, k1, v1, ...], checking for nulls before any write. */
  static List<Object> flatten(Collection<? extends Map.Entry<?, ?>> objects) {
    Objects.requireNonNull(objects, "objects");
    List<Object> kv = new ArrayList<>(objects.size() * 2);
    int i = 0;
    for (Map.Entry<?, ?> e : objects) {
      Objects.requireNonNull(e, () -> "object " + kv.size() / 2 + " is null; nothing was inserted");
      Object k = e.getKey();
      Object v = e.getValue();
      int n = i;
      Objects.requireNonNull(k, () -> "the key of object " + n + " is null; nothing was inserted");
      Objects.requireNonNull(
          v, () -> "the value of object " + n + " is null; nothing was inserted");
      kv.add(k);
      kv.add(v);
      i++;
    }
    return kv;
  }

  @SuppressWarnings("unchecked")
  static <K> K key(List<Object> kv, int i) {
    return (K) kv.get(i);
  }

  @Override
  public boolean delete(K key) {
    Objects.requireNonNull(key, "key");
    return write(() -> removeStored(map(), key) != null);
  }

  @Override
  public boolean deleteObject(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return write(() -> removeStored(map(), key, value));
  }

  @Override
  long deleteMatched(K key, V value) {
    return removeStored(map(), key, value) ? 1 : 0;
  }

  @Override
  public void deleteAllObjects() {
    writeAll(
        () -> {
          clearStored();
          return null;
        });
  }

  @Override
  public Optional<V> take(K key) {
    Objects.requireNonNull(key, "key");
    return write(() -> Optional.ofNullable(value(removeStored(map(), key))));
  }

  // ------------------------------------------------------------------ atomic updates

  @Override
  public long counter(
      K key, long incr, V initial, boolean bounded, long threshold, long setValue) {
    Object result =
        write(
            () ->
                map()
                    .compute(
                        key,
                        (k, old) -> {
                          Object base = live(old) ? old : initial;
                          if (base == null) {
                            throw new NoSuchElementException(
                                "no counter with key "
                                    + k
                                    + " in "
                                    + this
                                    + "; give an initial value to create it");
                          }
                          Object next = Counters.add(k, base, incr, bounded, threshold, setValue);
                          if (old == TOMB) {
                            tombs.decrementAndGet();
                          }
                          return next;
                        }));
    return Counters.asLong(result);
  }

  @Override
  public Optional<V> update(K key, UnaryOperator<V> fn) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(fn, "fn");
    Object result =
        write(
            () ->
                map()
                    .computeIfPresent(
                        key,
                        (k, old) ->
                            old == TOMB
                                ? TOMB
                                : Objects.requireNonNull(
                                    fn.apply(value(old)), "update function returned null")));
    return Optional.ofNullable(value(result));
  }

  @Override
  public V compute(K key, BiFunction<? super K, ? super V, ? extends V> fn) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(fn, "fn");
    Object result =
        write(
            () ->
                map()
                    .compute(
                        key,
                        (k, old) -> {
                          V cur = value(old);
                          V next = fn.apply(k, cur);
                          if (next == null) {
                            return cur == null ? old : emptied();
                          }
                          if (old == TOMB) {
                            tombs.decrementAndGet();
                          }
                          return next;
                        }));
    return value(result);
  }
}
