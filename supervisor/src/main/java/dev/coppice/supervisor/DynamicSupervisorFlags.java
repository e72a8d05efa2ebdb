// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@link DynamicSupervisor}'s settings: Elixir's {@code DynamicSupervisor.init/1} options.
 * The strategy is always one_for_one.
 *
 * @param intensity the most restarts allowed within {@code period} ({@code max_restarts},
 *     default 3); see {@link SupervisorFlags} for how restarts are counted
 * @param period the window of the intensity ({@code max_seconds}, default 5 s)
 * @param maxChildren the most children at once, restarting ones included ({@code
 *     max_children}); {@link #UNLIMITED} by default
 * @param extraArguments given to every child's {@link StartFunction#start(List)} ({@code
 *     extra_arguments}, which Elixir puts in front of the child's own arguments)
 * @param ticker the clock of the intensity window and of backoff resets
 * @param scheduler delivers backoff timers
 * @since 0.1
 */
public record DynamicSupervisorFlags(
    int intensity,
    Duration period,
    int maxChildren,
    List<Object> extraArguments,
    Ticker ticker,
    Scheduler scheduler) {

  /** No limit on the number of children: Elixir's {@code :infinity}. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  /**
   * Validates the flags and copies the extra arguments.
   *
   * @throws IllegalArgumentException if a value is out of range; the message names it
   */
  public DynamicSupervisorFlags {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(scheduler, "scheduler");
    extraArguments = List.copyOf(Objects.requireNonNull(extraArguments, "extraArguments"));
    SupervisorFlags.checkIntensity(intensity, period);
    if (maxChildren < 0) {
      throw new IllegalArgumentException(
          "maxChildren must not be negative: " + maxChildren + "; use UNLIMITED for no limit");
    }
  }

  /** {@return the defaults: 3 restarts in 5 s, no child limit, no extra arguments} */
  public static DynamicSupervisorFlags defaults() {
    return new DynamicSupervisorFlags(
        SupervisorFlags.DEFAULT_INTENSITY,
        SupervisorFlags.DEFAULT_PERIOD,
        UNLIMITED,
        List.of(),
        SupervisorFlags.SYSTEM_TICKER,
        Scheduler.timers());
  }

  /**
   * {@return a copy that allows at most {@code newIntensity} restarts within {@code newPeriod}}
   *
   * @param newIntensity the most restarts; zero or more
   * @param newPeriod the window; positive
   * @throws IllegalArgumentException if a value is out of range
   */
  public DynamicSupervisorFlags withIntensity(int newIntensity, Duration newPeriod) {
    return new DynamicSupervisorFlags(
        newIntensity, newPeriod, maxChildren, extraArguments, ticker, scheduler);
  }

  /**
   * {@return a copy with this child limit}
   *
   * @param newMaxChildren the most children at once, or {@link #UNLIMITED}
   * @throws IllegalArgumentException if negative
   */
  public DynamicSupervisorFlags withMaxChildren(int newMaxChildren) {
    return new DynamicSupervisorFlags(
        intensity, period, newMaxChildren, extraArguments, ticker, scheduler);
  }

  /**
   * {@return a copy with these extra arguments}
   *
   * @param newExtraArguments the arguments, given to every child's start function
   */
  public DynamicSupervisorFlags withExtraArguments(List<?> newExtraArguments) {
    return new DynamicSupervisorFlags(
        intensity, period, maxChildren, List.copyOf(newExtraArguments), ticker, scheduler);
  }

  /**
   * {@return a copy that reads time from {@code newTicker}}
   *
   * @param newTicker the clock
   */
  public DynamicSupervisorFlags withTicker(Ticker newTicker) {
    return new DynamicSupervisorFlags(
        intensity, period, maxChildren, extraArguments, newTicker, scheduler);
  }

  /**
   * {@return a copy that schedules backoff timers with {@code newScheduler}}
   *
   * @param newScheduler the scheduler
   */
  public DynamicSupervisorFlags withScheduler(Scheduler newScheduler) {
    return new DynamicSupervisorFlags(
        intensity, period, maxChildren, extraArguments, ticker, newScheduler);
  }
}
