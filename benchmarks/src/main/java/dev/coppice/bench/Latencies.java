// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Latency percentiles of single operations (HdrHistogram, 3 significant digits, up to 10
 * minutes). For figures that are a distribution, not a rate: restart to first call, kill to next
 * lookup, one call.
 */
public final class Latencies {
  private final Histogram histogram = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);

  /**
   * Records one sample.
   *
   * @param nanos the latency
   */
  public void record(long nanos) {
    histogram.recordValue(Math.max(0, nanos));
  }

  /**
   * Adds every sample of {@code other}.
   *
   * @param other more samples
   */
  public void add(Latencies other) {
    histogram.add(other.histogram);
  }

  /**
   * {@return the value at percentile {@code p}, in nanoseconds}
   *
   * @param p 0..100
   */
  public long percentile(double p) {
    return histogram.getValueAtPercentile(p);
  }

  /** {@return the number of samples} */
  public long count() {
    return histogram.getTotalCount();
  }

  /**
   * Prints p10, p50, p90, p99, p99.9 and max as a note.
   *
   * @param name the figure's name
   */
  public void note(String name) {
    Harness.note(
        String.format(
            Locale.ROOT,
            "%s n %d p10 %d p50 %d p90 %d p99 %d p99.9 %d max %d ns",
            name,
            count(),
            percentile(10),
            percentile(50),
            percentile(90),
            percentile(99),
            percentile(99.9),
            histogram.getMaxValue()));
  }
}
