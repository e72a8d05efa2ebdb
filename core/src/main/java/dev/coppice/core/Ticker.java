// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

/**
 * A source of nanosecond time, injectable so that time-based rules (restart intensity, backoff)
 * can be tested on a virtual clock instead of by waiting.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Ticker {

  /**
   * {@return the current time in nanoseconds, from an arbitrary origin, like {@link
   * System#nanoTime()}}
   */
  long read();

  /** {@return the ticker that reads {@link System#nanoTime()}} */
  static Ticker system() {
    return System::nanoTime;
  }
}
