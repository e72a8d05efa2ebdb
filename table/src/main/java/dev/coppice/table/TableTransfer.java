// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import dev.coppice.core.Pid;
import java.util.Objects;

/**
 * The message a process receives when it becomes the owner of a table: ETS's {@code
 * {'ETS-TRANSFER', Tab, FromPid, Data}}.
 *
 * <ul>
 *   <li>After {@link OwnedTable#giveAway(Pid, Object)}: {@code from} is the giver and {@code data}
 *       the gift.
 *   <li>When the owner ends and its heir inherits: {@code from} is the old owner and {@code data}
 *       the heir data. The heir gets this message before the old owner's {@code Exit} and {@code
 *       Down}.
 * </ul>
 *
 * The table is always the handle itself, named or not (ETS sends the name for named tables; the
 * handle works for both).
 *
 * @param table the table, now owned by the receiver
 * @param from the previous owner
 * @param data the gift or the heir data
 * @since 0.1
 */
public record TableTransfer(OwnedTable<?, ?> table, Pid from, Object data) {

  /** Checks the components. */
  public TableTransfer {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(data, "data");
  }

  /**
   * {@return the table as a {@link Table} with the key and value types the receiver expects} The
   * types are not checked (they are erased at run time), as with any cast of a generic type. May be
   * called from any thread.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @throws ClassCastException if the table is a {@link BagTable}
   */
  @SuppressWarnings("unchecked")
  public <K, V> Table<K, V> asTable() {
    if (table instanceof Table<?, ?> t) {
      return (Table<K, V>) t;
    }
    throw new ClassCastException(table + " is a bag table: use asBagTable()");
  }

  /**
   * {@return the table as a {@link BagTable}} The types are not checked, as with any cast of a
   * generic type. May be called from any thread.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @throws ClassCastException if the table is a {@link Table}
   */
  @SuppressWarnings("unchecked")
  public <K, V> BagTable<K, V> asBagTable() {
    if (table instanceof BagTable<?, ?> t) {
      return (BagTable<K, V>) t;
    }
    throw new ClassCastException(table + " is not a bag table: use asTable()");
  }
}
