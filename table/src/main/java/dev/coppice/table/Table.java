// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import dev.coppice.core.Pid;
import dev.coppice.core.ProcessExitedException;
import java.util.Comparator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * An ETS-style table of type {@link TableType#SET} or {@link TableType#ORDERED_SET}: at most one
 * value per key, owned by the process that created it. Bags are {@link BagTable}s; the operations
 * both share are on {@link OwnedTable}.
 *
 * <pre>{@code
 * static final TableName<String, Item> DATA = new TableName<>("data");
 *
 * Table<String, Item> table = Table.<String, Item>builder()   // in the owning process
 *     .access(Access.PROTECTED)        // the default: everyone reads, the owner writes
 *     .heir(backupPid, "backup")       // optional: backupPid inherits it when we end
 *     .named(DATA)                     // optional: Tables.whereis(node, DATA) finds it
 *     .create();
 * table.insert("k", new Item("k", 1));
 * Optional<Item> hit = table.lookup("k");        // from any process
 * table.giveAway(serverPid, "yours");   // serverPid gets TableTransfer(table, self, "yours")
 * }</pre>
 *
 * <h2>Ownership and heirs</h2>
 *
 * The process that creates a table owns it; there is no garbage collection through the handle: a
 * table lives until it is {@link #delete() deleted} or its owner ends. When the owner ends, for any
 * reason including a kill, and its heir is alive and is not the owner itself, the heir becomes the
 * owner with all the data and receives {@link TableTransfer}{@code (table, oldOwner, heirData)},
 * <em>before</em> the {@code Exit} and {@code Down} for the old owner (the transfer runs as an exit
 * hook of the owner, see {@link dev.coppice.core.Processes#onExit}). Otherwise the table is
 * deleted. The heir setting survives both transfers (it then names the new owner itself, so the
 * table dies with it unless a new heir is set) and {@link #giveAway give-aways}: an owner that
 * makes itself heir and gives the table away gets it back when the receiver ends. A transfer
 * changes one field and sends one message: it costs the same for ten objects and a million.
 *
 * <h2>Access</h2>
 *
 * {@link Access#PROTECTED} (the default): every thread reads, only the owner writes. {@link
 * Access#PRIVATE}: only the owner reads and writes. {@link Access#PUBLIC}: everyone reads and
 * writes, and may also delete, rename and empty the table. {@link #giveAway} and the heir setting
 * belong to the owner on every table. Checks are made against the calling process at the time of
 * the call, so after a transfer the new owner has the rights and the old one is an ordinary
 * process. A thread that is not a process is never the owner. {@link #info()} works from anywhere.
 * A process that has exited (a killed owner whose thread still runs, say) can write nothing: its
 * writes throw {@link ProcessExitedException}, and an owner's write either completes before its
 * heir inherits or does not happen at all.
 *
 * <h2>Failures</h2>
 *
 * Where ETS fails with {@code badarg}, a table throws, and the failed call changed nothing:
 *
 * <ul>
 *   <li>{@link TableAccessException}: the caller may not read or write, or is not the owner for an
 *       owner-only operation.
 *   <li>{@link NoSuchTableException}: the table was deleted (or a name lookup found none). {@link
 *       #info()} answers empty instead.
 *   <li>{@link IllegalArgumentException}: a bad argument, such as a dead or foreign pid for {@link
 *       #giveAway}, a taken name, a key that an ordered table's order cannot compare, or a key
 *       {@link #next} cannot place.
 *   <li>{@link NoSuchElementException}: a missing key where one is required ({@link
 *       #lookupElement}, {@link #updateCounter(Object, long)}).
 *   <li>{@link NullPointerException}: a null key, value or argument; tables hold no nulls.
 *   <li>{@link ProcessExitedException}: the calling process has exited.
 * </ul>
 *
 * <h2>Concurrency</h2>
 *
 * Reads never go through the owner: they read the table's concurrent structure directly from the
 * caller's thread. Every single-key operation ({@link #insert(Object, Object)}, {@link #lookup},
 * {@link #take}, {@link #updateCounter(Object, long)}, {@link #update}, {@link #compute}...) is
 * atomic and isolated. Multi-object writes ({@link #insert(Map)}, {@link #insertNew(Map)}, {@link
 * #deleteAllObjects()}) are atomic and isolated too: a reader sees all of their objects or none.
 * Traversals ({@link #toList()}, {@link #select}, {@link #foldl}, {@link #first()}/{@link #next})
 * are weakly consistent, like a {@link java.util.concurrent.ConcurrentHashMap}'s iterators: they
 * never fail and never return an object twice, but objects written during the traversal may or may
 * not be seen. An ordered_set traversal is always safe; for a set, {@link #safeFixtable} makes a
 * {@code first}/{@code next} loop that deletes as it goes safe. The {@code readConcurrency} and
 * {@code writeConcurrency} flags are accepted and reported but change no result.
 *
 * <p>Functions passed to {@link #update}, {@link #compute} and the select family must not write to
 * the same table.
 *
 * <p>How: a set is a {@link java.util.concurrent.ConcurrentHashMap}; an ordered_set is a skip list
 * for order plus, for keys whose natural order agrees with {@code equals} (String, boxed numbers,
 * UUID, enums...), a hash map for point reads. A single-key read takes no lock and allocates
 * nothing: on a set it reads one volatile flag and then the map, and on an ordered_set it reads
 * the map between an optimistic stamp of the table's {@link
 * java.util.concurrent.locks.StampedLock} and its validation; either waits in the read lock only
 * while a multi-object write is under way. Multi-object writes hold the write lock. Single-key
 * writes to a PRIVATE or PROTECTED table take no lock at all (the owner is the only writer); on a
 * PUBLIC set they share the read lock, so they exclude multi-object writes but not each other, and
 * on a PUBLIC ordered_set (two structures to keep in step) they take a writers' lock.
 *
 * <h2>Values are shared, not copied</h2>
 *
 * ETS copies every term into and out of a table. A coppice table stores references: the process
 * that inserts a value and every process that looks it up share the same object. Store immutable
 * values (records of immutable fields, {@code List.copyOf}, ...); a mutable value changed after
 * insertion changes for every reader without any of the guarantees above.
 *
 * <h2>ETS features and their Java form</h2>
 *
 * <ul>
 *   <li>Objects are a key plus a value instead of tuples with a {@code keypos}: there is no keypos,
 *       no arity and no malformed object, only null, which is rejected.
 *   <li>Tuple positions ({@code lookup_element/3}, {@code update_element}, {@code update_counter}
 *       with a position) become functions of the value: {@link #lookupElement(Object, Function)}
 *       takes an accessor such as {@code Item::count}, {@link #update} a function such as {@code
 *       item -> item.withCount(0)}; {@link #updateCounter(Object, long)} works on tables whose
 *       values are {@link Long}s or {@link Integer}s.
 *   <li>Match patterns and match specs ({@code '$1'}, {@code '_'}, guards) become Java predicates
 *       and functions in {@link #select}.
 *   <li>Key equality: a set compares keys with {@code equals}, so {@code 1} and {@code 1.0} (or
 *       {@code 1L}) are different keys, as ETS's exact match. An ordered_set compares keys with its
 *       order only, as ETS's "compare equal": keys the order calls equal are the same key (the key
 *       object first inserted is kept). Natural order cannot compare an {@link Integer} with a
 *       {@link Double} (IllegalArgumentException); to get ETS's numeric term order give a
 *       comparator such as {@code Comparator.comparingDouble(Number::doubleValue)}.
 *   <li>{@code '$end_of_table'} is an empty {@link Optional}, so no key is reserved; {@code
 *       undefined} from {@code info} is an empty {@link Optional}.
 *   <li>{@code info/2} items are the components of {@link TableInfo} ({@code safe_fixed} is {@link
 *       TableInfo#fixations()}; there is no {@code keypos}), and {@code setopts/2} is {@link
 *       #setHeir}/{@link #clearHeir}: an unknown item or option is a compile error, not a badarg.
 *   <li>{@code safe_fixtable} exists ({@link #safeFixtable}), counted per process and released when
 *       the process ends; it matters only for {@code first}/{@code next} loops on the hash types,
 *       since every other traversal is a single call.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 * @since 0.1
 */
public sealed interface Table<K, V> extends OwnedTable<K, V> permits CounterTable {

  /**
   * {@return a builder for a set or ordered_set} May be called from any thread; the table is
   * created by {@link Builder#create()}, which must run in the owning process.
   *
   * @param <K> the key type
   * @param <V> the value type
   */
  static <K, V> Builder<K, V> builder() {
    return new Builder<>();
  }

  // ------------------------------------------------------------------ reads

  /**
   * {@return the value under {@code key}, or empty} Atomic.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @param key the key
   * @throws IllegalArgumentException if an ordered table's order cannot compare {@code key}
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  Optional<V> lookup(K key);

  /**
   * {@return the value under {@code key}, or null} The allocation-free form of {@link #lookup},
   * like {@link Map#get}.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @param key the key
   * @throws IllegalArgumentException if an ordered table's order cannot compare {@code key}
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  V get(K key);

  /**
   * {@return the value under {@code key}, which must be present} ETS's {@code lookup_element}.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @param key the key
   * @throws NoSuchElementException if {@code key} is not present (ETS's badarg)
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  V lookupElement(K key);

  /**
   * {@return one element of the value under {@code key}} ETS's {@code lookup_element(T, K, Pos)}
   * with an accessor (such as {@code Item::count}) instead of a tuple position.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @param key the key
   * @param element the accessor
   * @param <E> the element type
   * @throws NoSuchElementException if {@code key} is not present (ETS's badarg)
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  default <E> E lookupElement(K key, Function<? super V, ? extends E> element) {
    Objects.requireNonNull(element, "element");
    return element.apply(lookupElement(key));
  }

  // ------------------------------------------------------------------ writes

  /**
   * Inserts every entry of {@code objects}, atomically and in isolation. See {@link
   * #insert(java.util.Collection)}.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param objects the objects
   * @throws NullPointerException if a key or value is null; nothing was inserted
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  default void insert(Map<? extends K, ? extends V> objects) {
    insert(Objects.requireNonNull(objects, "objects").entrySet());
  }

  /**
   * Inserts every entry of {@code objects} only if none of their keys is present, atomically and in
   * isolation. See {@link #insertNew(java.util.Collection)}.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param objects the objects
   * @return true if all were inserted, false if nothing changed
   * @throws NullPointerException if a key or value is null; nothing was inserted
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  default boolean insertNew(Map<? extends K, ? extends V> objects) {
    return insertNew(Objects.requireNonNull(objects, "objects").entrySet());
  }

  /**
   * Removes the object under {@code key} and returns its value: ETS's {@code take}. Atomic.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param key the key
   * @return the value that was removed, or empty
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  Optional<V> take(K key);

  /**
   * Adds {@code incr} to the counter under {@code key} and returns the new value: ETS's {@code
   * update_counter(T, K, Incr)}. Atomic. The value must be a {@link Long} or an {@link Integer} and
   * stays of its type.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param key the key
   * @param incr the increment, possibly negative
   * @return the new value
   * @throws NoSuchElementException if {@code key} is not present (ETS's badarg)
   * @throws IllegalArgumentException if the value is not a Long or Integer, or an Integer would
   *     overflow; nothing changed
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  long updateCounter(K key, long incr);

  /**
   * Like {@link #updateCounter(Object, long)}, but a missing key first gets {@code initial} (ETS's
   * default object), which is then incremented: on an empty key, {@code updateCounter(k, 1, 10L)}
   * stores and returns 11.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param key the key
   * @param incr the increment
   * @param initial the value to start from when the key is missing: a Long or an Integer
   * @return the new value
   * @throws IllegalArgumentException if a value is not a Long or Integer, or an Integer would
   *     overflow; nothing changed
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  long updateCounter(K key, long incr, V initial);

  /**
   * Adds {@code incr} with a threshold: ETS's {@code {Pos, Incr, Threshold, SetValue}}. If the
   * result would pass {@code threshold} (be greater for {@code incr >= 0}, smaller for a negative
   * {@code incr}), the counter is set to {@code setValue} instead. Atomic.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param key the key
   * @param incr the increment
   * @param threshold the bound
   * @param setValue the value stored when the bound is passed
   * @return the new value
   * @throws NoSuchElementException if {@code key} is not present
   * @throws IllegalArgumentException if the value is not a Long or Integer, or an Integer would
   *     overflow; nothing changed
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  long updateCounter(K key, long incr, long threshold, long setValue);

  /**
   * Replaces the value under {@code key} with {@code fn} of it, atomically: ETS's {@code
   * update_element} for a Java value (change several record components at once by returning a new
   * record). Nothing happens if the key is missing.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param key the key
   * @param fn the update; short, no side effects, must not use this table, must not return null
   * @return the new value, or empty if the key was missing (ETS's {@code false})
   * @throws NullPointerException if {@code fn} returns null; nothing changed
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  Optional<V> update(K key, UnaryOperator<V> fn);

  /**
   * Computes a new value for {@code key} from its current one (null if missing), atomically, as
   * {@link Map#compute}: a null result deletes the object.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param key the key
   * @param fn the function; short, no side effects, must not use this table
   * @return the new value, or null if there is none
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  V compute(K key, BiFunction<? super K, ? super V, ? extends V> fn);

  /**
   * Builds a {@link Table}. Every setting is optional and may be given once. The defaults are
   * ETS's: a {@link TableType#SET}, {@link Access#PROTECTED}, no heir, unnamed, both concurrency
   * flags false.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @since 0.1
   */
  final class Builder<K, V> {
    final TableSpec spec = new TableSpec();
    Comparator<? super K> comparator;

    Builder() {}

    /**
     * Sets the type: {@link TableType#SET} or {@link TableType#ORDERED_SET} (in natural key order;
     * see {@link #ordered(Comparator)} for another order). May be called from any thread.
     *
     * @param type the type
     * @return this builder
     * @throws IllegalArgumentException for a bag type: use {@link BagTable#builder()}
     * @throws IllegalStateException if the type was already set
     */
    public Builder<K, V> type(TableType type) {
      Objects.requireNonNull(type, "type");
      if (type == TableType.BAG || type == TableType.DUPLICATE_BAG) {
        throw new IllegalArgumentException(
            type + " tables hold many values per key: create them with BagTable.builder()");
      }
      spec.setType(type);
      return this;
    }

    /**
     * Makes the table an ordered_set in the keys' natural order. May be called from any thread.
     *
     * @return this builder
     * @throws IllegalStateException if the type was already set
     */
    public Builder<K, V> ordered() {
      return type(TableType.ORDERED_SET);
    }

    /**
     * Makes the table an ordered_set in {@code order}. Keys that {@code order} calls equal are the
     * same key. May be called from any thread.
     *
     * @param order the key order; must be total over the keys used
     * @return this builder
     * @throws IllegalStateException if the type was already set
     */
    public Builder<K, V> ordered(Comparator<? super K> order) {
      Objects.requireNonNull(order, "order");
      type(TableType.ORDERED_SET);
      comparator = order;
      return this;
    }

    /**
     * Sets who may read and write; {@link Access#PROTECTED} by default. May be called from any
     * thread.
     *
     * @param access the access
     * @return this builder
     * @throws IllegalStateException if the access was already set
     */
    public Builder<K, V> access(Access access) {
      spec.setAccess(access);
      return this;
    }

    /**
     * Sets the heir and its data (ETS's {@code {heir, Pid, Data}}). An heir that is dead when the
     * table is created is recorded as none. May be called from any thread.
     *
     * @param heir the heir
     * @param data the data for its {@link TableTransfer}
     * @return this builder
     * @throws IllegalStateException if the heir was already set
     */
    public Builder<K, V> heir(Pid heir, Object data) {
      spec.setHeir(heir, data);
      return this;
    }

    /**
     * Registers the table under {@code name} on the owner's node (ETS's {@code named_table}). May
     * be called from any thread.
     *
     * @param name the name; {@link #create()} fails if a live table has it
     * @return this builder
     * @throws IllegalStateException if the name was already set
     */
    public Builder<K, V> named(TableName<K, V> name) {
      spec.setName(name);
      return this;
    }

    /**
     * Sets ETS's {@code read_concurrency} flag: accepted and reported in {@link TableInfo}, with no
     * effect on results. May be called from any thread.
     *
     * @param on the flag
     * @return this builder
     */
    public Builder<K, V> readConcurrency(boolean on) {
      spec.readConcurrency = on;
      return this;
    }

    /**
     * Sets ETS's {@code write_concurrency} flag: accepted and reported in {@link TableInfo}, with
     * no effect on results. May be called from any thread.
     *
     * @param on the flag
     * @return this builder
     */
    public Builder<K, V> writeConcurrency(boolean on) {
      spec.writeConcurrency = on;
      return this;
    }

    /**
     * Creates the table, owned by the calling process. Must be called from within a process.
     *
     * @return the new table
     * @throws IllegalStateException if the calling thread is not a process
     * @throws IllegalArgumentException if the table is named and a live table of the node has that
     *     name, or the heir belongs to another node
     * @throws ProcessExitedException if the calling process has exited
     */
    public Table<K, V> create() {
      if (spec.type() == TableType.ORDERED_SET) {
        return AbstractTable.create(
            spec, (node, owner) -> new OrderedSetTable<>(spec, node, owner, comparator));
      }
      return AbstractTable.create(spec, (node, owner) -> new HashSetTable<>(spec, node, owner));
    }
  }
}
