// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bag or duplicate bag: a {@link ConcurrentHashMap} from key to an immutable {@link Values}
 * array, replaced atomically with {@code compute} on every change of that key.
 */
final class HashBagTable<K, V> extends AbstractHashTable<K, V> implements BagTable<K, V> {
  private final boolean duplicates;
  private final LongAdder count = new LongAdder();

  HashBagTable(TableSpec spec, Node node, Pid owner) {
    super(spec, node, owner);
    this.duplicates = type == TableType.DUPLICATE_BAG;
  }

  @SuppressWarnings("unchecked")
  private static <V> Values<V> values(Object stored) {
    return live(stored) ? (Values<V>) stored : null;
  }

  // ------------------------------------------------------------------ reads

  @Override
  public List<V> lookup(K key) {
    Objects.requireNonNull(key, "key");
    checkRead();
    Values<V> vs = values(read(key));
    return vs == null ? List.of() : vs;
  }

  @Override
  public boolean member(K key) {
    Objects.requireNonNull(key, "key");
    checkRead();
    return live(read(key));
  }

  @Override
  long sizeNow() {
    map();
    return Math.max(0L, count.sum());
  }

  @Override
  boolean visitStored(K key, Object stored, Visitor<? super K, ? super V> visitor) {
    for (V v : HashBagTable.<V>values(stored)) {
      if (!visitor.visit(key, v)) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ writes

  /** Adds one value under {@code key}; {@return whether it was added} */
  private boolean add(ConcurrentHashMap<K, Object> m, K key, V value, boolean onlyNew) {
    boolean[] added = {false};
    m.compute(
        key,
        (k, old) -> {
          Values<V> vs = values(old);
          if (vs != null && (onlyNew || (!duplicates && vs.contains(value)))) {
            return old;
          }
          if (old == TOMB) {
            tombs.decrementAndGet();
          }
          added[0] = true;
          return vs == null ? Values.of(value) : vs.plus(value);
        });
    if (added[0]) {
      count.increment();
    }
    return added[0];
  }

  @Override
  public void insert(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    write(() -> add(map(), key, value, false));
  }

  @Override
  public void insert(Collection<? extends Map.Entry<? extends K, ? extends V>> objects) {
    List<Object> kv = HashSetTable.flatten(objects);
    if (kv.isEmpty()) {
      write(() -> null);
      return;
    }
    writeAll(
        () -> {
          ConcurrentHashMap<K, Object> m = map();
          for (int i = 0; i < kv.size(); i += 2) {
            add(m, HashSetTable.key(kv, i), HashBagTable.<V>value(kv, i + 1), false);
          }
          return null;
        });
  }

  @SuppressWarnings("unchecked")
  private static <V> V value(List<Object> kv, int i) {
    return (V) kv.get(i);
  }

  @Override
  public boolean insertNew(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return write(() -> add(map(), key, value, true));
  }

  @Override
  public boolean insertNew(Collection<? extends Map.Entry<? extends K, ? extends V>> objects) {
    List<Object> kv = HashSetTable.flatten(objects);
    return writeAll(
        () -> {
          ConcurrentHashMap<K, Object> m = map();
          for (int i = 0; i < kv.size(); i += 2) {
            if (live(m.get(kv.get(i)))) {
              return false;
            }
          }
          for (int i = 0; i < kv.size(); i += 2) {
            add(m, HashSetTable.key(kv, i), HashBagTable.<V>value(kv, i + 1), false);
          }
          return true;
        });
  }

  @Override
  public boolean delete(K key) {
    Objects.requireNonNull(key, "key");
    return write(() -> dropKey(key) != null);
  }

  private Values<V> dropKey(K key) {
    Values<V> vs = values(removeStored(map(), key));
    if (vs != null) {
      count.add(-vs.size());
    }
    return vs;
  }

  @Override
  public List<V> take(K key) {
    Objects.requireNonNull(key, "key");
    return write(
        () -> {
          Values<V> vs = dropKey(key);
          return vs == null ? List.<V>of() : vs;
        });
  }

  @Override
  public boolean deleteObject(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return write(() -> removeValue(key, value)) > 0;
  }

  @Override
  long deleteMatched(K key, V value) {
    return removeValue(key, value);
  }

  /** Removes every copy of {@code value} under {@code key}; {@return how many went} */
  private long removeValue(K key, V value) {
    int[] removed = {0};
    map()
        .computeIfPresent(
            key,
            (k, old) -> {
              Values<V> vs = values(old);
              if (vs == null) {
                return old;
              }
              Values<V> rest = vs.without(value);
              removed[0] = vs.size() - rest.size();
              if (removed[0] == 0) {
                return old;
              }
              return rest.isEmpty() ? emptied() : rest;
            });
    count.add(-removed[0]);
    return removed[0];
  }

  @Override
  public void deleteAllObjects() {
    writeAll(
        () -> {
          clearStored();
          count.reset();
          return null;
        });
  }
}
