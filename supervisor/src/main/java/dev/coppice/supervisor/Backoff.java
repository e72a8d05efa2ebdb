// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * Opt-in delay before a child is restarted: beyond OTP, which restarts at once. Erlang/OTP
 * refused restart backoff in its supervisor; Akka and Pekko offer it ({@code
 * restartWithBackoff(min, max, randomFactor)}), but not together with rest_for_one. Here it works
 * with every strategy.
 *
 * <h2>How it behaves</h2>
 *
 * <ul>
 *   <li>When a child with a backoff must be restarted, the siblings that the strategy restarts
 *       with it are stopped at once (so nothing that depends on the child runs without it), then
 *       the supervisor waits {@link Exponential#delay the delay}, then starts the group in order.
 *   <li>While it waits, the child shows as {@link ChildStatus.Restarting}, and {@link
 *       Supervisor#restartChild} and {@link Supervisor#deleteChild} answer "restarting" for it.
 *       The siblings waiting with it are {@link ChildStatus#NOT_RUNNING not running}, as OTP's
 *       later siblings of a child whose restart failed: a restart by hand starts one at once (the
 *       group's restart stops and starts it again), a delete forgets it. The child's registered
 *       name is free, so a call by name fails fast with {@link
 *       dev.coppice.core.genserver.NoProcException}.
 *   <li>{@link Supervisor#terminateChild} cancels the wait.
 *   <li>The supervisor keeps answering calls during the wait; the delay is a timer, never a
 *       sleep.
 * </ul>
 *
 * <h2>Backoff and restart intensity</h2>
 *
 * A restart counts toward the supervisor's {@link SupervisorFlags#intensity() intensity} when it
 * is performed, after the delay, not when the child ends. So a backoff spreads restarts out in
 * time: if the delays grow beyond {@code period / intensity}, a child that keeps crashing is
 * restarted forever at the maximum delay instead of escalating to the supervisor's parent. That
 * is usually why one asks for a backoff; if the failure should escalate anyway, keep the maximum
 * delay shorter than {@code period / intensity}. A restart attempt whose start fails counts too,
 * and is retried after the next delay.
 *
 * @since 0.1
 */
public sealed interface Backoff {

  /** No backoff: restart at once, as OTP does. The default. */
  Backoff NONE = new None();

  /**
   * {@return an exponential backoff: the n-th consecutive restart waits {@code min * 2^(n-1)},
   * capped at {@code max}, then stretched by a random factor in {@code [1, 1 + jitter)}}
   *
   * <p>The count of consecutive restarts goes back to zero once the child has run for {@link
   * Exponential#resetAfter()} (by default {@code max}), measured on the supervisor's {@link
   * SupervisorFlags#ticker() ticker}.
   *
   * @param min the first delay; positive
   * @param max the largest delay before jitter; at least {@code min}
   * @param jitter the random factor, from 0 (none) to 1 (up to twice the delay); spreads restarts
   *     of many children that failed together
   * @throws IllegalArgumentException if a value is out of range; the message names it
   */
  static Exponential exponential(Duration min, Duration max, double jitter) {
    return new Exponential(min, max, jitter, max);
  }

  /** No backoff. Use {@link Backoff#NONE}. */
  record None() implements Backoff {
    @Override
    public String toString() {
      return "none";
    }
  }

  /**
   * An exponential backoff. See {@link Backoff#exponential}.
   *
   * @param min the first delay
   * @param max the largest delay before jitter
   * @param jitter the random factor, from 0 to 1
   * @param resetAfter how long the child must run for the delay to go back to {@code min}
   */
  record Exponential(Duration min, Duration max, double jitter, Duration resetAfter)
      implements Backoff {

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException if a value is out of range; the message names it
     */
    public Exponential {
      Objects.requireNonNull(min, "min");
      Objects.requireNonNull(max, "max");
      Objects.requireNonNull(resetAfter, "resetAfter");
      if (min.isNegative() || min.isZero()) {
        throw new IllegalArgumentException("backoff min must be positive: " + min);
      }
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException(
            "backoff max must be at least min (" + min + "): " + max);
      }
      if (!(jitter >= 0.0 && jitter <= 1.0)) {
        throw new IllegalArgumentException("backoff jitter must be between 0 and 1: " + jitter);
      }
      if (resetAfter.isNegative() || resetAfter.isZero()) {
        throw new IllegalArgumentException("backoff resetAfter must be positive: " + resetAfter);
      }
    }

    /**
     * {@return a copy that resets the delay after the child has run for {@code duration}}
     *
     * @param duration how long the child must run; positive
     * @throws IllegalArgumentException if {@code duration} is not positive
     */
    public Exponential withResetAfter(Duration duration) {
      return new Exponential(min, max, jitter, duration);
    }

    /**
     * {@return the delay before the {@code attempt}-th consecutive restart}
     *
     * @param attempt 1 for the first restart after a reset
     * @param random a number in {@code [0, 1)} that scales the jitter
     * @throws IllegalArgumentException if {@code attempt} is less than 1
     */
    public Duration delay(int attempt, double random) {
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt counts from 1: " + attempt);
      }
      long minNanos = Durations.nanos(min);
      long maxNanos = Durations.nanos(max);
      int shift = Math.min(attempt - 1, 62);
      long base = minNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, minNanos << shift);
      double stretched = base * (1.0 + jitter * random);
      return Duration.ofNanos((long) Math.min(stretched, (double) Long.MAX_VALUE / 2));
    }
  }
}
