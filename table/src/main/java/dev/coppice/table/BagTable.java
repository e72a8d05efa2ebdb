// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import dev.coppice.core.Pid;
import dev.coppice.core.ProcessExitedException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * An ETS-style table of type {@link TableType#BAG} (many values per key, never two equal ones under
 * one key) or {@link TableType#DUPLICATE_BAG} (equal values allowed), owned by the process that
 * created it. Keys are compared with {@code equals}; the values of a key are kept in insertion
 * order. Everything {@link Table}'s class documentation says about ownership and heirs, access,
 * failures, concurrency and shared values holds here too.
 *
 * <pre>{@code
 * BagTable<String, Event> events = BagTable.<String, Event>builder()
 *     .type(TableType.DUPLICATE_BAG)
 *     .create();
 * events.insert("disk", new Event("full"));
 * List<Event> disk = events.lookup("disk");
 * }</pre>
 *
 * <p>ETS's {@code update_counter} and {@code update_element} fail on bags; here they do not exist.
 * Inserting a value under a key that already has many costs time proportional to their number (the
 * values of a key are an immutable array, replaced on change).
 *
 * @param <K> the key type
 * @param <V> the value type
 * @since 0.1
 */
public sealed interface BagTable<K, V> extends OwnedTable<K, V> permits HashBagTable {

  /**
   * {@return a builder for a bag or duplicate bag} May be called from any thread; the table is
   * created by {@link Builder#create()}, which must run in the owning process.
   *
   * @param <K> the key type
   * @param <V> the value type
   */
  static <K, V> Builder<K, V> builder() {
    return new Builder<>();
  }

  /**
   * {@return the values under {@code key} in insertion order, as an immutable list; empty if none}
   * Atomic.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @param key the key
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  List<V> lookup(K key);

  /**
   * {@return one element of each value under {@code key}, in insertion order} ETS's {@code
   * lookup_element} on a bag, with an accessor instead of a tuple position.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @param key the key
   * @param element the accessor
   * @param <E> the element type
   * @throws NoSuchElementException if {@code key} has no values (ETS's badarg)
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  default <E> List<E> lookupElement(K key, Function<? super V, ? extends E> element) {
    Objects.requireNonNull(element, "element");
    List<V> values = lookup(key);
    if (values.isEmpty()) {
      throw new NoSuchElementException("no object with key " + key + " in " + this);
    }
    return values.stream().<E>map(element).toList();
  }

  /**
   * Removes every value under {@code key} and returns them: ETS's {@code take}. Atomic.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param key the key
   * @return the values removed, in insertion order; empty if none
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  List<V> take(K key);

  /**
   * Builds a {@link BagTable}. Every setting is optional and may be given once. The defaults are
   * ETS's for a bag: {@link TableType#BAG}, {@link Access#PROTECTED}, no heir, unnamed, both
   * concurrency flags false.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @since 0.1
   */
  final class Builder<K, V> {
    final TableSpec spec = new TableSpec();

    Builder() {}

    /**
     * Sets the type: {@link TableType#BAG} (the default here) or {@link TableType#DUPLICATE_BAG}.
     * May be called from any thread.
     *
     * @param type the type
     * @return this builder
     * @throws IllegalArgumentException for a set type: use {@link Table#builder()}
     * @throws IllegalStateException if the type was already set
     */
    public Builder<K, V> type(TableType type) {
      Objects.requireNonNull(type, "type");
      if (type == TableType.SET || type == TableType.ORDERED_SET) {
        throw new IllegalArgumentException(
            type + " tables hold one value per key: create them with Table.builder()");
      }
      spec.setType(type);
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
     * Sets the heir and its data. An heir that is dead when the table is created is recorded as
     * none. May be called from any thread.
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
     * Registers the table under {@code name} on the owner's node. May be called from any thread.
     *
     * @param name the name
     * @return this builder
     * @throws IllegalStateException if the name was already set
     */
    public Builder<K, V> named(TableName<K, V> name) {
      spec.setName(name);
      return this;
    }

    /**
     * Sets ETS's {@code read_concurrency} flag: reported only. May be called from any thread.
     *
     * @param on the flag
     * @return this builder
     */
    public Builder<K, V> readConcurrency(boolean on) {
      spec.readConcurrency = on;
      return this;
    }

    /**
     * Sets ETS's {@code write_concurrency} flag: reported only. May be called from any thread.
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
     * @throws IllegalArgumentException if the name is taken, or the heir belongs to another node
     * @throws ProcessExitedException if the calling process has exited
     */
    public BagTable<K, V> create() {
      if (spec.typeOrNull() == null) {
        spec.setType(TableType.BAG);
      }
      return AbstractTable.create(spec, (node, owner) -> new HashBagTable<>(spec, node, owner));
    }
  }
}
