// SPDX-License-Identifier: Apache-2.0
package dev.coppice.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;

/**
 * A bounded poll, for conditions that no message announces. Prefer waiting for a message (a
 * {@link dev.coppice.core.Down}, a reply) with {@link Expect}; poll only where nothing tells.
 */
public final class Await {
  private Await() {}

  /** The default bound: generous, since CI machines have two cores. */
  public static final Duration DEFAULT = Duration.ofSeconds(10);

  /**
   * Waits until {@code condition} holds, failing the test after {@link #DEFAULT}.
   *
   * @param what a description for the failure message
   * @param condition the condition
   */
  public static void until(String what, BooleanSupplier condition) {
    until(what, condition, DEFAULT);
  }

  /**
   * Waits until {@code condition} holds, failing the test after {@code bound}.
   *
   * @param what a description for the failure message
   * @param condition the condition
   * @param bound how long to wait at most
   */
  public static void until(String what, BooleanSupplier condition, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    long pause = 10_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        Assertions.fail("timed out after " + bound + " waiting until " + what);
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, 5_000_000);
    }
  }

  /**
   * Waits until {@code supplier} gives a non-null value and returns it.
   *
   * @param what a description for the failure message
   * @param supplier the value source
   * @param <T> the value type
   * @return the value
   */
  public static <T> T value(String what, Supplier<T> supplier) {
    Object[] box = new Object[1];
    until(what, () -> (box[0] = supplier.get()) != null);
    @SuppressWarnings("unchecked")
    T t = (T) box[0];
    return t;
  }
}
