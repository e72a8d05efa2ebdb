// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import java.util.Objects;

/**
 * INTERNAL: what the two set types share for counters. The three public {@code updateCounter}
 * overloads check their arguments here and run the type's one counter update, {@link #counter}.
 * Bags have no counters (ETS's {@code update_counter} is for set and ordered_set only), so this
 * sits below {@link Table}, not in {@link AbstractTable}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
sealed interface CounterTable<K, V> extends Table<K, V> permits HashSetTable, OrderedSetTable {

  /**
   * Adds {@code incr} to the counter under {@code key} as one write; a missing key starts from
   * {@code initial}, or fails when it is null. With {@code bounded}, a result past {@code
   * threshold} becomes {@code setValue}. Arguments are checked already.
   */
  long counter(K key, long incr, V initial, boolean bounded, long threshold, long setValue);

  @Override
  default long updateCounter(K key, long incr) {
    Objects.requireNonNull(key, "key");
    return counter(key, incr, null, false, 0, 0);
  }

  @Override
  default long updateCounter(K key, long incr, V initial) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(initial, "initial");
    Counters.check(initial);
    return counter(key, incr, initial, false, 0, 0);
  }

  @Override
  default long updateCounter(K key, long incr, long threshold, long setValue) {
    Objects.requireNonNull(key, "key");
    return counter(key, incr, null, true, threshold, setValue);
  }
}
