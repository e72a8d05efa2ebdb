// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import java.time.Duration;

/** INTERNAL: duration arithmetic that saturates instead of overflowing. */
final class Durations {
  private Durations() {}

  /** A bound no real wait reaches (about 146 years), safe to add to a nanoTime. */
  static final long FOREVER_NANOS = Long.MAX_VALUE / 2;

  /** {@return {@code d} in nanoseconds, at most {@link #FOREVER_NANOS}} */
  static long nanos(Duration d) {
    return d.compareTo(Duration.ofNanos(FOREVER_NANOS)) >= 0 ? FOREVER_NANOS : d.toNanos();
  }
}
