// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import dev.coppice.core.Pid;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a table's settings and state: ETS's {@code info/1}. A deleted table has no info
 * ({@link OwnedTable#info()} returns empty, ETS's {@code undefined}).
 *
 * <p>ETS's {@code keypos} has no equivalent (keys are explicit), and {@code safe_fixed} is {@link
 * #fixations()}.
 *
 * @param type the table type
 * @param access who may read and write (ETS's {@code protection})
 * @param owner the owning process
 * @param heir the heir, or empty for none (an heir that has died shows as none)
 * @param size the number of objects: values for a {@link Table}, all values of all keys for a
 *     {@link BagTable}; weakly consistent under concurrent writes
 * @param named whether the table is registered under its name (ETS's {@code named_table})
 * @param name the table's name; for an unnamed table only a label
 * @param readConcurrency the flag given at creation; reported only, it changes no result
 * @param writeConcurrency the flag given at creation; reported only, it changes no result
 * @param fixations the processes that hold the table fixed with {@link
 *     OwnedTable#safeFixtable(boolean)}, and how many times each
 * @since 0.1
 */
public record TableInfo(
    TableType type,
    Access access,
    Pid owner,
    Optional<Pid> heir,
    long size,
    boolean named,
    String name,
    boolean readConcurrency,
    boolean writeConcurrency,
    Map<Pid, Integer> fixations) {

  /** Checks the components and copies the fixations. */
  public TableInfo {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(heir, "heir");
    Objects.requireNonNull(name, "name");
    fixations = Map.copyOf(fixations);
  }

  /**
   * {@return whether some process holds the table fixed (ETS's {@code fixed})} May be called from
   * any thread.
   */
  public boolean fixed() {
    return !fixations.isEmpty();
  }
}
