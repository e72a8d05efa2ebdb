// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

/**
 * An upper bound on a process's mailbox and what happens to a message that would exceed it. A
 * process has no bound unless it is spawned with one ({@link Node#spawn(Runnable, MailboxBound)},
 * {@link Processes#spawnLink(Runnable, MailboxBound)}, or a GenServer's {@code
 * StartOptions.withMailbox}); an unbounded mailbox is exactly as fast as before bounds existed.
 *
 * <p>OTP has no bounded mailboxes (it offers {@code max_heap_size} and the long message queue
 * monitor instead; see {@link Node#monitorLongMailboxes}). This is coppice's addition for JVM
 * users who expect a choice, as Pekko's bounded mailboxes give one.
 *
 * <h2>What counts</h2>
 *
 * The bound counts the application messages that wait in the queue and that the process has not
 * looked at yet. Never counted, never dropped: system messages, which the runtime delivers on
 * the process's behalf and whose loss would break a guarantee ({@link Exit} messages of a
 * process that traps exits, {@link Down} messages, and messages sent with {@link
 * Node#sendSystem}, such as a table handed to its heir or given away). Replies to the process's
 * own calls never pass through its mailbox at all. Messages that a selective receive has looked
 * at and skipped are no longer counted: a process that leaves many messages unmatched can still
 * grow beyond its bound; the long-mailbox monitor sees those too.
 *
 * @param capacity how many application messages may wait; at least 1
 * @param policy what happens to a message that arrives when {@code capacity} are waiting
 * @since 0.1
 */
public record MailboxBound(int capacity, Overflow policy) {

  /** What happens when a message arrives at a full mailbox. */
  public enum Overflow {
    /** The new message is dropped and counted; the sender is not told. */
    DROP_NEW,
    /**
     * The oldest waiting application message is dropped and counted, and the new one is queued:
     * the mailbox keeps the most recent {@code capacity} messages.
     */
    DROP_OLDEST,
    /**
     * The send fails: {@link Processes#send}, {@link Node#send} and a GenServer cast throw
     * {@link MailboxFullException}, and a GenServer call fails at once with a {@code
     * ServerOverloadedException}. Timer messages that find the mailbox full are dropped and
     * counted (no sender is there to tell). This is backpressure for producers.
     */
    FAIL_SENDER,
    /**
     * The receiver is killed, untrappably, with the reason {@code other(MailboxOverflow)}, and
     * the message is dropped: OTP's {@code max_heap_size} spirit, where a process whose memory
     * runs away is killed before it takes the node down. The kill is logged once at error
     * level.
     */
    KILL_RECEIVER
  }

  /**
   * Validates the bound.
   *
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   */
  public MailboxBound {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "a mailbox bound's capacity must be at least 1, got " + capacity);
    }
    java.util.Objects.requireNonNull(policy, "policy");
  }

  /**
   * {@return a bound that drops new messages beyond {@code capacity}}
   *
   * @param capacity how many messages may wait
   */
  public static MailboxBound dropNew(int capacity) {
    return new MailboxBound(capacity, Overflow.DROP_NEW);
  }

  /**
   * {@return a bound that drops the oldest message to make room for a new one}
   *
   * @param capacity how many messages may wait
   */
  public static MailboxBound dropOldest(int capacity) {
    return new MailboxBound(capacity, Overflow.DROP_OLDEST);
  }

  /**
   * {@return a bound that makes a send to a full mailbox fail}
   *
   * @param capacity how many messages may wait
   */
  public static MailboxBound failSender(int capacity) {
    return new MailboxBound(capacity, Overflow.FAIL_SENDER);
  }

  /**
   * {@return a bound that kills the receiver when a message finds its mailbox full}
   *
   * @param capacity how many messages may wait
   */
  public static MailboxBound killReceiver(int capacity) {
    return new MailboxBound(capacity, Overflow.KILL_RECEIVER);
  }

  /**
   * The reason inside {@code ExitReason.other(...)} of a process killed by its {@link
   * Overflow#KILL_RECEIVER} bound.
   *
   * @param pid the process that was killed
   * @param capacity its mailbox bound
   */
  public record Overflowed(Pid pid, int capacity) {
    @Override
    public String toString() {
      return "mailbox_overflow(" + pid + ", capacity " + capacity + ")";
    }
  }
}
