// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

/**
 * Who may read and write a table: ETS's {@code protection} option. The check is made against the
 * calling process; a thread that is not a process counts as "not the owner".
 *
 * <p>Whatever the access, {@link OwnedTable#giveAway} and the heir setting belong to the owner
 * alone, and {@link OwnedTable#info()} works from anywhere.
 *
 * @since 0.1
 */
public enum Access {
  /** Only the owner reads and writes. */
  PRIVATE,
  /** Everyone reads; only the owner writes. The default, as in ETS. */
  PROTECTED,
  /**
   * Everyone reads and writes, and anyone may also delete, rename or empty the table (ETS-05).
   * Giving the table away and setting its heir stay owner-only.
   */
  PUBLIC
}
