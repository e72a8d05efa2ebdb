// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

/**
 * An event of the long-mailbox monitor ({@link Node#monitorLongMailboxes}): OTP 27's {@code
 * {monitor, Pid, long_message_queue, Long}}. {@code isLong} is true when the process's mailbox
 * has reached the high mark, and false when it has come back down to the low mark (or the
 * process has ended) after that.
 *
 * @param pid the process
 * @param isLong whether its mailbox is long now
 * @param length the mailbox length seen by the scan that raised the event (0 for an ended
 *     process)
 * @since 0.1
 */
public record LongMailbox(Pid pid, boolean isLong, int length) {}
