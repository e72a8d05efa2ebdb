// SPDX-License-Identifier: Apache-2.0
/**
 * ETS-style tables owned by a coppice process: {@link dev.coppice.table.Table} (set and
 * ordered_set), {@link dev.coppice.table.BagTable} (bag and duplicate_bag), their common operations
 * in {@link dev.coppice.table.OwnedTable}, named tables through {@link dev.coppice.table.Tables},
 * and the {@link dev.coppice.table.TableTransfer} message an heir or the receiver of a give-away
 * gets.
 *
 * <p>Each method's javadoc names its thread role: "May be called from any thread" (reads), "Owner
 * process only" (giveAway, heir changes), or "May be called from any thread; writes only from the
 * owner unless PUBLIC" (writes, which follow the table's {@link dev.coppice.table.Access}).
 *
 * <p>Unless otherwise specified, passing {@code null} to any method of this package throws {@link
 * NullPointerException}.
 */
package dev.coppice.table;
