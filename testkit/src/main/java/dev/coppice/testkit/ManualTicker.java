// SPDX-License-Identifier: Apache-2.0
package dev.coppice.testkit;

import dev.coppice.core.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Ticker} that moves only when a test advances it: a virtual clock. */
public final class ManualTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  /** Creates a ticker at an arbitrary fixed origin. */
  public ManualTicker() {}

  @Override
  public long read() {
    return nanos.get();
  }

  /**
   * Moves the clock forward.
   *
   * @param d how far
   */
  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("a clock only moves forward: " + d);
    }
    nanos.addAndGet(d.toNanos());
  }
}
