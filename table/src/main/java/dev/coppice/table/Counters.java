// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

/** Counter arithmetic for {@code updateCounter}: Long and Integer values keep their type. */
final class Counters {
  private Counters() {}

  static void check(Object initial) {
    if (!(initial instanceof Long) && !(initial instanceof Integer)) {
      throw new IllegalArgumentException(
          "a counter's initial value must be a Long or an Integer, not "
              + initial.getClass().getName()
              + " ("
              + initial
              + ")");
    }
  }

  /** {@return {@code current + incr}, or {@code setValue} past the threshold, in current's type} */
  static Object add(
      Object key, Object current, long incr, boolean bounded, long threshold, long setValue) {
    long base;
    if (current instanceof Long l) {
      base = l;
    } else if (current instanceof Integer i) {
      base = i;
    } else {
      throw new IllegalArgumentException(
          "the value under key "
              + key
              + " is not a counter (a Long or an Integer): "
              + current
              + "; use update(key, fn) for other values");
    }
    long value;
    try {
      value = Math.addExact(base, incr);
      if (bounded && (incr >= 0 ? value > threshold : value < threshold)) {
        value = setValue;
      }
    } catch (ArithmeticException e) {
      if (!bounded) {
        throw overflow(key, current, incr);
      }
      value = setValue; // the sum is past any threshold in the direction of incr
    }
    if (current instanceof Integer) {
      if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
        throw overflow(key, current, incr);
      }
      return (int) value;
    }
    return value;
  }

  static long asLong(Object counter) {
    return ((Number) counter).longValue();
  }

  private static IllegalArgumentException overflow(Object key, Object current, long incr) {
    return new IllegalArgumentException(
        "the counter under key "
            + key
            + " would overflow its "
            + current.getClass().getSimpleName()
            + ": "
            + current
            + " + "
            + incr
            + "; store Long values for larger counters");
  }
}
