// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One chunk of a chunked select ({@link OwnedTable#select(java.util.function.BiPredicate,
 * java.util.function.BiFunction, int)}): its results and the continuation. ETS's {@code {Results,
 * Continuation}}.
 *
 * <p>A chunk is meant for one thread at a time, like an iterator. {@link #next()} computes the
 * following chunk the first time it is called and returns that same chunk afterwards.
 *
 * @param <R> the result type
 * @since 0.1
 */
public final class SelectChunk<R> {
  private final List<R> results;
  private Supplier<Optional<SelectChunk<R>>> rest;
  private Optional<SelectChunk<R>> next;

  SelectChunk(List<R> results, Supplier<Optional<SelectChunk<R>>> rest) {
    this.results = List.copyOf(results);
    this.rest = rest;
  }

  /** {@return this chunk's results, never empty} May be called from any thread. */
  public List<R> results() {
    return results;
  }

  /**
   * {@return the following chunk, or empty when the select is complete (ETS's {@code
   * '$end_of_table'})} Continues a weakly consistent traversal: objects inserted or deleted since
   * the previous chunk may or may not be seen.
   *
   * <p>May be called from any thread, one at a time; on a PRIVATE table only from the owner.
   *
   * @throws TableAccessException if the caller may not read the table
   * @throws NoSuchTableException if the table was deleted
   */
  public Optional<SelectChunk<R>> next() {
    if (next == null) {
      next = rest.get();
      rest = null;
    }
    return next;
  }

  @Override
  public String toString() {
    return "SelectChunk" + results;
  }
}
