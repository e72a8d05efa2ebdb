// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import java.io.Serial;

/**
 * A table operation that ETS would answer with {@code badarg} because of the table itself: the
 * caller may not do it ({@link TableAccessException}) or the table is gone ({@link
 * NoSuchTableException}). The operation changed nothing. Bad arguments (a dead pid, a taken name)
 * throw {@link IllegalArgumentException}; a missing key where one is required throws {@link
 * java.util.NoSuchElementException}.
 *
 * @since 0.1
 */
public abstract sealed class TableException extends RuntimeException
    permits TableAccessException, NoSuchTableException {
  @Serial private static final long serialVersionUID = 1L;

  TableException(String message) {
    super(message);
  }
}
