// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import java.time.Duration;
import java.util.Objects;

/**
 * What a server does after a callback, before or instead of waiting for its next message: OTP's
 * optional last element of a callback result ({@code Timeout}, {@code hibernate}, {@code
 * {continue, C}}). Set it with the withers of {@link Init.Ok} and {@link Next}.
 *
 * @since 0.1
 */
public sealed interface Then {

  /** Nothing special: wait for the next message. */
  Then NOTHING = new Nothing();

  /** Wait for the next message. */
  record Nothing() implements Then {}

  /**
   * If no message arrives within {@code idle}, call {@link GenServer#handleInfo} with {@link
   * IdleTimeout#INSTANCE}. Any message cancels it; if one is already queued, it never fires.
   *
   * @param idle how long to wait
   */
  record Timeout(Duration idle) implements Then {
    /** Validates the duration. */
    public Timeout {
      Objects.requireNonNull(idle, "idle");
      if (idle.isNegative()) {
        throw new IllegalArgumentException("idle timeout must not be negative: " + idle);
      }
    }
  }

  /**
   * Call {@link GenServer#handleContinue} with {@code argument} at once, before any queued
   * message.
   *
   * @param argument passed to handleContinue
   */
  record Continue(Object argument) implements Then {
    /** Checks that the argument is present. */
    public Continue {
      Objects.requireNonNull(argument, "argument");
    }
  }

  /**
   * OTP's {@code hibernate}. A JVM process has no heap of its own to compact, so this is a hint:
   * the server drops the buffer its mailbox keeps for skipped messages, then waits as usual. The
   * state is kept and the next message is handled normally.
   */
  record Hibernate() implements Then {}
}
