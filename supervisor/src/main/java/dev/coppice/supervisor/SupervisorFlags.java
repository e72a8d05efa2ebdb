// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.Ticker;
import java.time.Duration;
import java.util.Objects;

/**
 * A supervisor's settings: OTP's {@code sup_flags}, plus where time comes from.
 *
 * <pre>{@code
 * SupervisorFlags.oneForOne().withIntensity(3, Duration.ofSeconds(5));
 * }</pre>
 *
 * <h2>Restart intensity</h2>
 *
 * Every restart the supervisor performs is stamped with the time of its {@link #ticker()}. If a
 * restart would make more than {@link #intensity()} restarts within the last {@link #period()},
 * the supervisor instead stops all its children (in reverse start order) and exits with {@code
 * shutdown}, so that its own supervisor decides what to do. One failure counts once, even when
 * the strategy restarts several siblings with it; a restart attempt whose start fails counts too.
 * Intensity 0 means the first failure ends the supervisor.
 *
 * <p>The defaults are Elixir's, <b>3 restarts in 5 seconds</b>; Erlang's {@code supervisor}
 * defaults to 1 restart in 5 seconds. OTP stamps restarts in whole seconds; coppice uses the
 * ticker's nanoseconds.
 *
 * @param strategy what to restart when a child must be restarted
 * @param intensity the most restarts allowed within {@code period}; zero or more
 * @param period the sliding window of the intensity; positive
 * @param autoShutdown whether significant children may shut the supervisor down
 * @param ticker the clock of the intensity window and of backoff resets; tests inject a manual
 *     one
 * @param scheduler delivers the supervisor's backoff timers; tests inject a manual one
 * @since 0.1
 */
public record SupervisorFlags(
    Strategy strategy,
    int intensity,
    Duration period,
    AutoShutdown autoShutdown,
    Ticker ticker,
    Scheduler scheduler) {

  /** The default intensity, 3 (Elixir's; Erlang's is 1). */
  public static final int DEFAULT_INTENSITY = 3;

  /** The default period, 5 seconds (Elixir's and Erlang's). */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);

  static final Ticker SYSTEM_TICKER = Ticker.system();

  /**
   * Validates the flags.
   *
   * @throws IllegalArgumentException if {@code intensity} is negative or {@code period} is not
   *     positive; the message names the value
   */
  public SupervisorFlags {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(autoShutdown, "autoShutdown");
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(scheduler, "scheduler");
    checkIntensity(intensity, period);
  }

  static void checkIntensity(int intensity, Duration period) {
    if (intensity < 0) {
      throw new IllegalArgumentException(
          "intensity must not be negative: " + intensity + " (OTP's invalid_intensity)");
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException(
          "period must be positive: " + period + " (OTP's invalid_period)");
    }
  }

  /**
   * {@return flags with this strategy and every default: 3 restarts in 5 s, auto shutdown never,
   * the system ticker, core's timers}
   *
   * @param strategy the strategy
   */
  public static SupervisorFlags of(Strategy strategy) {
    return new SupervisorFlags(
        strategy,
        DEFAULT_INTENSITY,
        DEFAULT_PERIOD,
        AutoShutdown.NEVER,
        SYSTEM_TICKER,
        Scheduler.timers());
  }

  /** {@return default flags with {@link Strategy#ONE_FOR_ONE}} */
  public static SupervisorFlags oneForOne() {
    return of(Strategy.ONE_FOR_ONE);
  }

  /** {@return default flags with {@link Strategy#REST_FOR_ONE}} */
  public static SupervisorFlags restForOne() {
    return of(Strategy.REST_FOR_ONE);
  }

  /** {@return default flags with {@link Strategy#ONE_FOR_ALL}} */
  public static SupervisorFlags oneForAll() {
    return of(Strategy.ONE_FOR_ALL);
  }

  /**
   * {@return a copy with this strategy}
   *
   * @param newStrategy the strategy
   */
  public SupervisorFlags withStrategy(Strategy newStrategy) {
    return new SupervisorFlags(newStrategy, intensity, period, autoShutdown, ticker, scheduler);
  }

  /**
   * {@return a copy that allows at most {@code newIntensity} restarts within {@code newPeriod}}
   *
   * @param newIntensity the most restarts; zero or more
   * @param newPeriod the window; positive
   * @throws IllegalArgumentException if a value is out of range
   */
  public SupervisorFlags withIntensity(int newIntensity, Duration newPeriod) {
    return new SupervisorFlags(strategy, newIntensity, newPeriod, autoShutdown, ticker, scheduler);
  }

  /**
   * {@return a copy with this auto shutdown}
   *
   * @param newAutoShutdown the auto shutdown
   */
  public SupervisorFlags withAutoShutdown(AutoShutdown newAutoShutdown) {
    return new SupervisorFlags(strategy, intensity, period, newAutoShutdown, ticker, scheduler);
  }

  /**
   * {@return a copy that reads time from {@code newTicker}}
   *
   * @param newTicker the clock, for example the testkit's {@code ManualTicker}
   */
  public SupervisorFlags withTicker(Ticker newTicker) {
    return new SupervisorFlags(strategy, intensity, period, autoShutdown, newTicker, scheduler);
  }

  /**
   * {@return a copy that schedules backoff timers with {@code newScheduler}}
   *
   * @param newScheduler the scheduler
   */
  public SupervisorFlags withScheduler(Scheduler newScheduler) {
    return new SupervisorFlags(strategy, intensity, period, autoShutdown, ticker, newScheduler);
  }
}
