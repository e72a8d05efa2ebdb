// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

/**
 * INTERNAL: OTP's {@code add_restart}. Keeps the ticker stamps of the restarts of the last {@code
 * period} in a ring of primitive longs (no boxing on the restart path) and decides whether one more
 * restart is allowed.
 */
final class RestartIntensity {
  private final int intensity;
  private final long periodNanos;
  private long[] stamps = new long[4];
  private int head;
  private int size;

  RestartIntensity(int intensity, long periodNanos) {
    this.intensity = intensity;
    this.periodNanos = periodNanos;
  }

  /**
   * Records a restart at {@code now}, unless it would make more than {@code intensity} restarts
   * within the last {@code period} (stamps older than {@code now - period} no longer count).
   *
   * @return true if the restart is allowed; false if the supervisor must shut down
   */
  boolean add(long now) {
    while (size > 0 && now - stamps[head] >= periodNanos) {
      head = (head + 1) % stamps.length;
      size--;
    }
    if (size + 1 > intensity) {
      return false;
    }
    if (size == stamps.length) {
      long[] bigger = new long[stamps.length * 2];
      for (int i = 0; i < size; i++) {
        bigger[i] = stamps[(head + i) % stamps.length];
      }
      stamps = bigger;
      head = 0;
    }
    stamps[(head + size) % stamps.length] = now;
    size++;
    return true;
  }

  /** {@return the restarts that count now, for tests} */
  int size() {
    return size;
  }
}
