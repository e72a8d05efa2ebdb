// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import java.io.Serial;

/**
 * The calling process may not do this to the table: reading a {@link Access#PRIVATE} table or
 * writing a {@link Access#PROTECTED} one without being the owner, or an owner-only operation
 * ({@link OwnedTable#giveAway}, the heir setting) from another process. ETS's {@code badarg}. The
 * table is unchanged.
 *
 * @since 0.1
 */
public final class TableAccessException extends TableException {
  @Serial private static final long serialVersionUID = 1L;

  TableAccessException(String message) {
    super(message);
  }
}
