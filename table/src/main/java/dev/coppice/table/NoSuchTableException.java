// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import java.io.Serial;

/**
 * The table has been deleted (explicitly, or with its owner when no heir took it over), or no table
 * has the given name. ETS's {@code badarg} for an invalid table. A deleted table's handle never
 * becomes valid again, even when a new table takes its name.
 *
 * @since 0.1
 */
public final class NoSuchTableException extends TableException {
  @Serial private static final long serialVersionUID = 1L;

  NoSuchTableException(String message) {
    super(message);
  }
}
