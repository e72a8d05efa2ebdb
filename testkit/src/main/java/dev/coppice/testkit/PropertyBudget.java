// SPDX-License-Identifier: Apache-2.0
package dev.coppice.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * How much work one property test does, and a bound on how long a failing one spends shrinking.
 * Kept free of any property-testing library, so it only hands out numbers and wraps the check.
 *
 * <pre>{@code
 * PropertyBudget budget = PropertyBudget.of("OwnershipProperties", 3_000, Duration.ofSeconds(15));
 * qt().withExamples(budget.examples())
 *     .withTestingTime(budget.testingMillis(), TimeUnit.MILLISECONDS)
 *     .withShrinkCycles(budget.shrinkCycles())
 *     .forAll(actions())
 *     .checkAssert(actions -> budget.check(actions, this::runSequence));
 * budget.report();
 * }</pre>
 *
 * <h2>Quick and long mode</h2>
 *
 * By default a property runs at most its quick example count and at most its quick time, so that
 * the whole build stays fast. The system property {@value #EXAMPLES} (set by the parent pom's
 * {@code -Pproperties-long} profile, or by hand: {@code -Dcoppice.properties.examples=500}) sets
 * the example count of every property instead and lifts the time limit, unless {@value #SECONDS}
 * sets one ({@code 0} or less: none). QuickTheories skips an example it has already tried and
 * counts it anyway, so in that mode it is asked for 2% more, and at least the requested number of
 * distinct examples run.
 *
 * <h2>Replaying a seed</h2>
 *
 * With {@code -DQT_SEED=...} QuickTheories generates the same examples as the failed run. A time
 * limit could stop the replay before it reaches the failing example on a slower run, so a given
 * seed also lifts the time limit.
 *
 * <h2>Shrinking within a bound</h2>
 *
 * A shrinker re-runs the property many times, and a failing run of a concurrent property can be
 * slow (it often waits out a receive timeout). Once {@link #check} has seen the first failure, it
 * lets shrinking go on for {@link #SHRINK_TIME} at most; later candidates are reported as passing
 * without being run, so the shrinker keeps the smallest failure found so far and stops quickly,
 * well inside the test's timeout.
 */
public final class PropertyBudget {
  /** The system property that sets every property's example count (long mode). */
  public static final String EXAMPLES = "coppice.properties.examples";

  /** The system property that sets every property's time limit in seconds; 0 or less: none. */
  public static final String SECONDS = "coppice.properties.seconds";

  /** QuickTheories' system property for the seed of a replay. */
  public static final String SEED = "QT_SEED";

  /** How long a failing property may spend shrinking after its first failure. */
  public static final Duration SHRINK_TIME = Duration.ofSeconds(6);

  private final String name;
  private final int examples;
  private final long testingMillis;
  private final AtomicInteger runs = new AtomicInteger();
  private final long startNanos = System.nanoTime();
  private volatile long shrinkDeadline;
  private volatile boolean failed;
  private final ConcurrentHashMap<String, LongAdder> coverage = new ConcurrentHashMap<>();

  /** How many examples must have run before {@link #requireCovered} insists. */
  public static final int COVERAGE_RUNS = 300;

  private PropertyBudget(String name, int examples, long testingMillis) {
    this.name = name;
    this.examples = examples;
    this.testingMillis = testingMillis;
  }

  /**
   * {@return the budget of one property} May be called from any thread.
   *
   * @param name the property's name, for {@link #report()}
   * @param quickExamples the example count of the default (quick) run
   * @param quickTime the time limit of the default (quick) run
   * @throws IllegalArgumentException if {@code quickExamples < 1}, {@code quickTime} is not
   *     positive, or a system property is not a number
   */
  public static PropertyBudget of(String name, int quickExamples, Duration quickTime) {
    if (quickExamples < 1 || quickTime.isNegative() || quickTime.isZero()) {
      throw new IllegalArgumentException(
          "a property needs at least one example and some time, not "
              + quickExamples
              + " examples in "
              + quickTime);
    }
    Integer longExamples = number(EXAMPLES);
    Integer seconds = number(SECONDS);
    int examples = longExamples != null ? longExamples + longExamples / 50 : quickExamples;
    long millis;
    if (seconds != null) {
      millis = seconds > 0 ? seconds * 1000L : -1;
    } else {
      boolean replay = System.getProperty(SEED) != null;
      millis = longExamples != null || replay ? -1 : quickTime.toMillis();
    }
    return new PropertyBudget(name, examples, millis);
  }

  private static Integer number(String property) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + property + " must be a whole number, not '" + v + "'", e);
    }
  }

  /**
   * {@return whether the example count came from {@value #EXAMPLES} (long mode)} May be called from
   * any thread.
   */
  public boolean longMode() {
    return number(EXAMPLES) != null;
  }

  /** {@return how many examples to generate at most} May be called from any thread. */
  public int examples() {
    return examples;
  }

  /**
   * {@return how long to generate examples at most, in milliseconds; -1 for no limit} May be called
   * from any thread.
   */
  public long testingMillis() {
    return testingMillis;
  }

  /**
   * {@return how many shrink cycles to allow} Enough for any of our sequences; the time bound of
   * {@link #check} is what really stops shrinking. May be called from any thread.
   */
  public int shrinkCycles() {
    return 2_000;
  }

  /**
   * Runs {@code body} on {@code example}, counting runs, unless a failure was seen more than {@link
   * #SHRINK_TIME} ago (then it returns without running, which the shrinker takes as a pass). May be
   * called from any thread.
   *
   * @param example the generated value
   * @param body the property; throws (an AssertionError, say) to falsify it
   * @param <T> the value type
   */
  public <T> void check(T example, Consumer<? super T> body) {
    if (failed && System.nanoTime() - shrinkDeadline > 0) {
      return;
    }
    runs.incrementAndGet();
    try {
      body.accept(example);
    } catch (RuntimeException | Error e) {
      if (!failed) {
        shrinkDeadline = System.nanoTime() + SHRINK_TIME.toNanos();
        failed = true;
      }
      throw e;
    }
  }

  /**
   * Counts one occurrence of an event worth knowing the property reached (an inheritance, a
   * restart, a refused write...), for {@link #report()} and {@link #requireCovered}. May be called
   * from any thread.
   *
   * @param label the event
   */
  public void cover(String label) {
    coverage.computeIfAbsent(label, k -> new LongAdder()).increment();
  }

  /**
   * Fails unless each of {@code labels} was {@link #cover covered} at least once, when at least
   * {@value #COVERAGE_RUNS} examples ran: a property whose generator stopped reaching the cases
   * that matter would otherwise pass without testing them. May be called from any thread.
   *
   * @param labels the events the property must reach
   * @throws AssertionError if one was never reached
   */
  public void requireCovered(String... labels) {
    if (runs.get() < COVERAGE_RUNS) {
      return;
    }
    List<String> missing = new ArrayList<>();
    for (String label : labels) {
      if (!coverage.containsKey(label)) {
        missing.add(label);
      }
    }
    if (!missing.isEmpty()) {
      throw new AssertionError(
          name
              + " ran "
              + runs.get()
              + " examples but never reached "
              + missing
              + "; reached: "
              + new TreeMap<>(coverage));
    }
  }

  /** {@return how many examples {@link #check} has run} May be called from any thread. */
  public int runs() {
    return runs.get();
  }

  /**
   * Prints one line to standard output: the property, how many examples it ran, how long it took
   * and what it {@link #cover covered}, so that surefire's report shows the cost and reach of each
   * property. May be called from any thread.
   */
  public void report() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    System.out.println(
        String.format(
            Locale.ROOT,
            "property %s: %d examples in %.1f s%s%s",
            name,
            runs.get(),
            seconds,
            longMode() ? " (long mode)" : "",
            coverage.isEmpty() ? "" : ", reached " + new TreeMap<>(coverage)));
  }
}
