// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

/**
 * The message a timer from {@link Processes#startTimer} delivers: OTP's {@code {timeout, Ref,
 * Msg}}.
 *
 * @param ref the timer
 * @param message the message given when it was started
 * @since 0.1
 */
public record TimerFired(TimerRef ref, Object message) {}
