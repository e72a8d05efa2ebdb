// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * How a supervisor stops a child: OTP's {@code shutdown} child spec field. In every case the
 * supervisor waits for the child on a monitor, never on the link alone, so a child that unlinked
 * itself cannot hang it.
 *
 * <ul>
 *   <li>{@link #brutalKill()}: exit signal {@link dev.coppice.core.ExitReason#KILL kill}; the
 *       child ends at once with {@code killed}.
 *   <li>{@link #timeout(Duration)}: exit signal {@code shutdown}; a child that traps exits may
 *       clean up, and is killed if it has not ended after the timeout.
 *   <li>{@link #infinity()}: exit signal {@code shutdown}, then wait as long as it takes. The
 *       default for supervisor children; use it for workers only with care.
 * </ul>
 *
 * <p>A child that ends with another reason than the one expected (for example {@code killed}
 * after its timeout, or a crash) is reported as {@code shutdown_error}; the shutdown goes on.
 *
 * @since 0.1
 */
public sealed interface Shutdown {

  /** {@return the brutal kill shutdown} */
  static Shutdown brutalKill() {
    return BrutalKill.INSTANCE;
  }

  /**
   * {@return a shutdown that sends {@code shutdown} and kills the child after {@code timeout}}
   *
   * @param timeout how long the child may take to stop; zero kills it at once unless it has
   *     already ended
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  static Shutdown timeout(Duration timeout) {
    return new Timeout(timeout);
  }

  /** {@return the shutdown that waits as long as the child takes} */
  static Shutdown infinity() {
    return Infinity.INSTANCE;
  }

  /** Kill the child at once: OTP's {@code brutal_kill}. */
  record BrutalKill() implements Shutdown {
    static final BrutalKill INSTANCE = new BrutalKill();

    @Override
    public String toString() {
      return "brutal_kill";
    }
  }

  /**
   * Send {@code shutdown}, and kill the child if it has not ended after {@code duration}.
   *
   * @param duration how long to wait
   */
  record Timeout(Duration duration) implements Shutdown {
    /**
     * Validates the duration.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public Timeout {
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative()) {
        throw new IllegalArgumentException(
            "shutdown timeout must not be negative: " + duration + "; use Shutdown.brutalKill()"
                + " to kill at once");
      }
    }

    @Override
    public String toString() {
      // toMillis overflows past about 292 million years: a "forever" timeout prints as a Duration
      return duration.getSeconds() < Long.MAX_VALUE / 1000
          ? duration.toMillis() + " ms"
          : duration.toString();
    }
  }

  /** Send {@code shutdown} and wait as long as it takes: OTP's {@code infinity}. */
  record Infinity() implements Shutdown {
    static final Infinity INSTANCE = new Infinity();

    @Override
    public String toString() {
      return "infinity";
    }
  }
}
