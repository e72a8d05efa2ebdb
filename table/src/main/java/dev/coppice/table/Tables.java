// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import dev.coppice.core.Node;
import dev.coppice.core.Processes;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds named tables: ETS's {@code whereis/1}, and the way to use a table's name in every
 * operation. Names are per {@link Node}. A name leads to the table that has it now: after a table
 * is deleted and a new one takes its name, the name reaches the new table while the old handle
 * stays invalid.
 *
 * <pre>{@code
 * Table<String, Item> data = Tables.table(node, DATA);   // NoSuchTableException if none
 * }</pre>
 *
 * @since 0.1
 */
public final class Tables {
  private Tables() {}

  /**
   * {@return the live table named {@code name} on {@code node}, or empty (ETS's {@code undefined})}
   * May be called from any thread.
   *
   * @param node the node
   * @param name the name
   * @param <K> the key type
   * @param <V> the value type
   */
  @SuppressWarnings("unchecked")
  public static <K, V> Optional<OwnedTable<K, V>> whereis(Node node, TableName<K, V> name) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(name, "name");
    AbstractTable<?, ?> t = NamedTables.of(node).get(name.value());
    if (t == null || t.deleted) {
      return Optional.empty();
    }
    return Optional.of((OwnedTable<K, V>) t);
  }

  /**
   * {@return the live table named {@code name} on the calling process's node, or empty} Must be
   * called from within a process.
   *
   * @param name the name
   * @param <K> the key type
   * @param <V> the value type
   * @throws IllegalStateException if the calling thread is not a process
   */
  public static <K, V> Optional<OwnedTable<K, V>> whereis(TableName<K, V> name) {
    return whereis(Processes.node(), name);
  }

  /**
   * {@return the live set or ordered_set named {@code name} on {@code node}} May be called from any
   * thread.
   *
   * @param node the node
   * @param name the name
   * @param <K> the key type
   * @param <V> the value type
   * @throws NoSuchTableException if no live table has that name
   * @throws IllegalArgumentException if the table with that name is a {@link BagTable}
   */
  public static <K, V> Table<K, V> table(Node node, TableName<K, V> name) {
    OwnedTable<K, V> t = require(node, name);
    if (t instanceof Table<K, V> table) {
      return table;
    }
    throw new IllegalArgumentException(
        "the table named '" + name + "' is a bag table: use Tables.bagTable");
  }

  /**
   * {@return the live bag or duplicate bag named {@code name} on {@code node}} May be called from
   * any thread.
   *
   * @param node the node
   * @param name the name
   * @param <K> the key type
   * @param <V> the value type
   * @throws NoSuchTableException if no live table has that name
   * @throws IllegalArgumentException if the table with that name is not a {@link BagTable}
   */
  public static <K, V> BagTable<K, V> bagTable(Node node, TableName<K, V> name) {
    OwnedTable<K, V> t = require(node, name);
    if (t instanceof BagTable<K, V> bag) {
      return bag;
    }
    throw new IllegalArgumentException(
        "the table named '" + name + "' is not a bag table: use Tables.table");
  }

  private static <K, V> OwnedTable<K, V> require(Node node, TableName<K, V> name) {
    return whereis(node, name)
        .orElseThrow(
            () ->
                new NoSuchTableException(
                    "no table is named '"
                        + name
                        + "' on this node: it was never created, was "
                        + "renamed, or was deleted"));
  }
}
