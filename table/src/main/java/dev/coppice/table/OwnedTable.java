// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import dev.coppice.core.Pid;
import dev.coppice.core.ProcessExitedException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;

/**
 * The operations every ETS-style table has, whatever its type: ownership, heirs, access, keys,
 * traversal and the select family. {@link Table} (set, ordered_set) and {@link BagTable} (bag,
 * duplicate_bag) add the operations whose results depend on the type. The rules (ownership and
 * heirs, access, failures, concurrency, shared values) are described on {@link Table}; they hold
 * for every table.
 *
 * <p>An <em>object</em> is one key with one value. A {@link Table} holds at most one object per
 * key; a {@link BagTable} may hold several.
 *
 * @param <K> the key type
 * @param <V> the value type
 * @since 0.1
 */
public sealed interface OwnedTable<K, V> permits Table, BagTable {

  /**
   * A function that folds one object into an accumulator, for {@link #foldl} and {@link #foldr}.
   *
   * @param <A> the accumulator type
   * @param <K> the key type
   * @param <V> the value type
   * @since 0.1
   */
  @FunctionalInterface
  interface Folder<A, K, V> {
    /**
     * {@return the new accumulator} Called on the thread that runs the fold, once per object.
     *
     * @param acc the accumulator so far
     * @param key the object's key
     * @param value the object's value
     */
    A apply(A acc, K key, V value);
  }

  // ------------------------------------------------------------------ writes

  /**
   * Inserts one object. In a {@link Table} it replaces the value under {@code key}; in a bag it
   * adds the value (a {@link TableType#BAG} ignores a value equal to one already there). Atomic and
   * isolated.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param key the key
   * @param value the value; shared, not copied
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  void insert(K key, V value);

  /**
   * Inserts every object of {@code objects}, atomically and in isolation (ETS's {@code insert/2}
   * with a list): other threads see all of them or none, and if one is invalid (a null key or
   * value) nothing is inserted. In a {@link Table}, when a key appears twice the last one wins. An
   * empty collection does nothing.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param objects the objects, in order
   * @throws NullPointerException if an entry, key or value is null; nothing was inserted
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  void insert(Collection<? extends Map.Entry<? extends K, ? extends V>> objects);

  /**
   * Inserts the object only if {@code key} has no object yet (in a bag: no object at all under that
   * key). Atomic and isolated.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param key the key
   * @param value the value
   * @return true if inserted, false if the key was present and nothing changed
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  boolean insertNew(K key, V value);

  /**
   * Inserts every object only if none of their keys is present (ETS's {@code insert_new/2} with a
   * list). The whole collection is checked before anything is written; atomic and isolated.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param objects the objects
   * @return true if all were inserted, false if any key was present and nothing changed
   * @throws NullPointerException if an entry, key or value is null; nothing was inserted
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  boolean insertNew(Collection<? extends Map.Entry<? extends K, ? extends V>> objects);

  /**
   * Deletes every object with {@code key}. Atomic and isolated.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param key the key
   * @return true if something was deleted (ETS always answers {@code true})
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  boolean delete(K key);

  /**
   * Deletes exactly the object {@code (key, value)}, compared with {@code equals}: other objects
   * with the same key stay; in a duplicate bag every equal copy goes. Atomic and isolated.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param key the key
   * @param value the value to delete
   * @return true if something was deleted
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  boolean deleteObject(K key, V value);

  /**
   * Deletes every object, atomically and in isolation; the table itself stays.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  void deleteAllObjects();

  // ------------------------------------------------------------------ reads

  /**
   * {@return whether some object has {@code key}} Atomic.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @param key the key
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  boolean member(K key);

  /**
   * {@return the number of objects} Weakly consistent under concurrent writes.
   *
   * <p>May be called from any thread, as {@link #info()}.
   *
   * @throws NoSuchTableException if the table was deleted
   */
  long size();

  /**
   * {@return every object, as immutable entries} ETS's {@code tab2list}: in key order for an
   * ordered_set. A single traversal: no object is seen twice, but it is not a snapshot.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  List<Map.Entry<K, V>> toList();

  // ------------------------------------------------------------------ key traversal

  /**
   * {@return the first key, or empty if the table is empty} In key order for an ordered_set; in the
   * table's internal order for the other types.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  Optional<K> first();

  /**
   * {@return the key after {@code key}, or empty at the end} ETS's {@code '$end_of_table'} is the
   * empty result.
   *
   * <p>For an ordered_set any key works, present or not. For the other types {@code key} must be in
   * the table, unless the calling thread's traversal has just returned it or the table is fixed
   * ({@link #safeFixtable}): then a key deleted during the traversal still works. A {@code
   * first}/{@code next} loop on the same thread costs O(1) per step; a {@code next} on a key the
   * thread did not just visit looks for the key's position (O(size)).
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @param key the current key
   * @throws IllegalArgumentException if the table is not an ordered_set and {@code key} cannot be
   *     placed (ETS's badarg)
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  Optional<K> next(K key);

  /**
   * {@return the last key, or empty if the table is empty} For types other than ordered_set the
   * same as {@link #first()}, as in ETS.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  Optional<K> last();

  /**
   * {@return the key before {@code key}, or empty at the start} For types other than ordered_set
   * the same as {@link #next}, as in ETS.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @param key the current key
   * @throws IllegalArgumentException as {@link #next}
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  Optional<K> prev(K key);

  /**
   * Fixes or unfixes the table for the calling process: ETS's {@code safe_fixtable}. Fixation is
   * counted per process (N fixes need N unfixes) and a process's fixes are released when it ends.
   * While a table is fixed, {@link #next}/{@link #prev} keep working on keys deleted since they
   * were visited, so a {@code first}/{@code next} loop visits every key that stays present exactly
   * once. Unfixing a table that the caller has not fixed does nothing. Counts as a read.
   *
   * <p>Must be called from within a process; on a PRIVATE table only from the owner.
   *
   * @param fix true to fix, false to unfix
   * @throws IllegalStateException if the calling thread is not a process
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  void safeFixtable(boolean fix);

  // ------------------------------------------------------------------ select family

  /**
   * {@return the values of the objects for which {@code where} is true} ETS's {@code
   * match_object}/{@code select} with a Java predicate instead of a pattern and match spec: a
   * predicate can test anything a {@code '$N'} pattern or guard could. In key order for an
   * ordered_set. A single traversal: safe, not a snapshot.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @param where the condition; must not write to this table
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  List<V> select(BiPredicate<? super K, ? super V> where);

  /**
   * {@return {@code body} of every object for which {@code where} is true} ETS's {@code select}
   * with a match spec body: {@code body} plays {@code '$_'}, {@code '$$'} or any expression.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @param where the condition
   * @param body what to return for a matching object; must not return null
   * @param <R> the result type
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  <R> List<R> select(
      BiPredicate<? super K, ? super V> where, BiFunction<? super K, ? super V, ? extends R> body);

  /**
   * Selects in chunks of at most {@code limit} results: ETS's {@code select/3}. Returns the first
   * chunk, or empty if nothing matches ({@code '$end_of_table'}); {@link SelectChunk#next()}
   * continues where the chunk ended. For an ordered_set the chunks follow key order and continue
   * after the last key returned; for the other types they continue a traversal of the table.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @param where the condition
   * @param body what to return for a matching object
   * @param limit the largest chunk, at least 1
   * @param <R> the result type
   * @return the first chunk, or empty
   * @throws IllegalArgumentException if {@code limit < 1}
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  <R> Optional<SelectChunk<R>> select(
      BiPredicate<? super K, ? super V> where,
      BiFunction<? super K, ? super V, ? extends R> body,
      int limit);

  /**
   * {@return how many objects {@code where} is true for} ETS's {@code select_count}.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @param where the condition
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  long selectCount(BiPredicate<? super K, ? super V> where);

  /**
   * Deletes every object {@code where} is true for: ETS's {@code select_delete}. Each object is
   * deleted atomically if it still holds the value tested; the whole is not isolated.
   *
   * <p>May be called from any thread; writes only from the owner unless PUBLIC.
   *
   * @param where the condition
   * @return how many objects were deleted
   * @throws TableAccessException if the caller may not write
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  long selectDelete(BiPredicate<? super K, ? super V> where);

  /**
   * Folds every object into an accumulator, first to last: ETS's {@code foldl}. Key order for an
   * ordered_set.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @param initial the starting accumulator
   * @param folder the function
   * @param <A> the accumulator type
   * @return the final accumulator
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  <A> A foldl(A initial, Folder<A, ? super K, ? super V> folder);

  /**
   * Folds every object last to first: ETS's {@code foldr}. Reverse key order for an ordered_set;
   * for the other types the same order as {@link #foldl}, as in ETS.
   *
   * <p>May be called from any thread; on a PRIVATE table only from the owner.
   *
   * @param initial the starting accumulator
   * @param folder the function
   * @param <A> the accumulator type
   * @return the final accumulator
   * @throws TableAccessException if the caller may not read
   * @throws NoSuchTableException if the table was deleted
   */
  <A> A foldr(A initial, Folder<A, ? super K, ? super V> folder);

  // ------------------------------------------------------------------ the table itself

  /**
   * {@return this table's settings and state, or empty if it was deleted (ETS's {@code undefined})}
   * Works on PRIVATE tables too.
   *
   * <p>May be called from any thread.
   */
  Optional<TableInfo> info();

  /**
   * {@return the owning process}
   *
   * <p>May be called from any thread.
   *
   * @throws NoSuchTableException if the table was deleted
   */
  Pid owner();

  /**
   * Deletes the table: its objects are dropped, its name is freed, and every later operation
   * through this handle throws {@link NoSuchTableException} ({@link #info()} returns empty).
   *
   * <p>May be called from any thread; only from the owner unless PUBLIC.
   *
   * @throws TableAccessException if the caller may not delete it
   * @throws NoSuchTableException if the table was already deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  void delete();

  /**
   * Gives the table to {@code to}: ownership moves at once (a PRIVATE table becomes unreadable for
   * the giver) and {@code to} receives {@link TableTransfer}{@code (this, self, gift)}. The heir
   * setting is kept, so an owner that made itself heir gets the table back when {@code to} ends
   * (ETS's "boomerang"). Costs the same for any table size: no data is copied.
   *
   * <p>Owner process only, whatever the access.
   *
   * @param to the new owner: a live process of the same node, not the caller
   * @param gift the data for the transfer message
   * @throws IllegalArgumentException if {@code to} is the caller, not alive, or of another node
   * @throws TableAccessException if the caller is not the owner
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  void giveAway(Pid to, Object gift);

  /**
   * Sets the heir: when the owner ends, for any reason, a live heir that is not the owner inherits
   * the table and receives {@link TableTransfer}{@code (this, oldOwner, data)} before the old
   * owner's {@code Exit} and {@code Down}. An heir that is already dead is recorded as none (ETS's
   * {@code setopts(T, {heir, Pid, Data})}).
   *
   * <p>Owner process only, whatever the access.
   *
   * @param heir the heir; the owner itself is allowed (see {@link #giveAway})
   * @param data the data for the transfer message
   * @throws IllegalArgumentException if {@code heir} belongs to another node
   * @throws TableAccessException if the caller is not the owner
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  void setHeir(Pid heir, Object data);

  /**
   * Removes the heir (ETS's {@code setopts(T, {heir, none})}): the table will be deleted with its
   * owner.
   *
   * <p>Owner process only, whatever the access.
   *
   * @throws TableAccessException if the caller is not the owner
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  void clearHeir();

  /**
   * Renames the table. A named table moves to {@code newName} on its node and the old name is
   * freed; an unnamed table only changes its label ({@link TableInfo#name()}).
   *
   * <p>May be called from any thread; only from the owner unless PUBLIC.
   *
   * @param newName the new name
   * @return {@code newName}
   * @throws IllegalArgumentException if the table is named and another table has {@code newName}
   * @throws TableAccessException if the caller may not rename it
   * @throws NoSuchTableException if the table was deleted
   * @throws ProcessExitedException if the calling process has exited
   */
  TableName<K, V> rename(TableName<K, V> newName);
}
