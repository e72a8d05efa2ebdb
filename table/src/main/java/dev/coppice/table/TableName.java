// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import java.util.Objects;

/**
 * The name of a named table on a node, typed with the table's key and value types (phantom types:
 * the name itself is only a string). Declare names as constants:
 *
 * <pre>{@code
 * static final TableName<String, Item> DATA = new TableName<>("data");
 * }</pre>
 *
 * <p>A node holds at most one live table per name; see {@link Tables#whereis}.
 *
 * @param value the name; not blank
 * @param <K> the key type of the table
 * @param <V> the value type of the table
 * @since 0.1
 */
public record TableName<K, V>(String value) {

  /**
   * Checks the name.
   *
   * @throws IllegalArgumentException if {@code value} is blank
   */
  public TableName {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException(
          "a table name must not be blank: \"" + value + "\"; use a word such as \"data\"");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
