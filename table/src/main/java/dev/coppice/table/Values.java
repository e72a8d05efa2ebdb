// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/** The values of one bag key: an immutable array in insertion order, replaced on every change. */
final class Values<V> extends AbstractList<V> implements RandomAccess {
  private final Object[] items;

  private Values(Object[] items) {
    this.items = items;
  }

  static <V> Values<V> of(V value) {
    return new Values<>(new Object[] {value});
  }

  Values<V> plus(V value) {
    Object[] a = Arrays.copyOf(items, items.length + 1);
    a[items.length] = value;
    return new Values<>(a);
  }

  /** {@return these values without any that equal {@code value}; this list if there is none} */
  Values<V> without(Object value) {
    int n = 0;
    for (Object o : items) {
      if (!o.equals(value)) {
        n++;
      }
    }
    if (n == items.length) {
      return this;
    }
    Object[] a = new Object[n];
    int i = 0;
    for (Object o : items) {
      if (!o.equals(value)) {
        a[i++] = o;
      }
    }
    return new Values<>(a);
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(int index) {
    return (V) items[index];
  }

  @Override
  public int size() {
    return items.length;
  }
}
