// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.io.Serial;

/**
 * Thrown to a sender whose message finds the receiver's mailbox full, when the receiver's {@link
 * MailboxBound} has the policy {@link MailboxBound.Overflow#FAIL_SENDER}. The message was not
 * queued. Back off, shed the work, or retry later: this is the backpressure the policy exists to
 * give.
 *
 * @since 0.1
 */
public final class MailboxFullException extends IllegalStateException {
  @Serial private static final long serialVersionUID = 1L;

  private final transient Pid receiver;
  private final int capacity;

  /**
   * Creates the exception.
   *
   * @param receiver the process whose mailbox is full
   * @param capacity its bound
   */
  public MailboxFullException(Pid receiver, int capacity) {
    super(
        "the mailbox of "
            + receiver
            + " is full ("
            + capacity
            + " messages wait, its bound); the message was not sent");
    this.receiver = receiver;
    this.capacity = capacity;
  }

  /** {@return the process whose mailbox is full} */
  public Pid receiver() {
    return receiver;
  }

  /** {@return the receiver's bound} */
  public int capacity() {
    return capacity;
  }
}
