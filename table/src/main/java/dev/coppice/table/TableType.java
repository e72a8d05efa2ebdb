// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

/**
 * The four ETS table types. {@link #SET} and {@link #ORDERED_SET} tables are {@link Table}s (one
 * value per key); {@link #BAG} and {@link #DUPLICATE_BAG} tables are {@link BagTable}s (many values
 * per key).
 *
 * @since 0.1
 */
public enum TableType {
  /** One value per key, keys compared with {@code equals}, no key order. ETS's default. */
  SET,
  /**
   * One value per key, keys compared and ordered by their natural order or a {@link
   * java.util.Comparator}; traversals run in key order.
   */
  ORDERED_SET,
  /** Many values per key, never two equal values under one key; keys compared with equals. */
  BAG,
  /** Many values per key, equal values included; keys compared with equals. */
  DUPLICATE_BAG
}
