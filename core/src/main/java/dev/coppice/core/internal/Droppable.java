// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.internal;

/**
 * INTERNAL API, not exported: a message that wants to know when a bounded mailbox drops it, so
 * that whoever waits for its answer (a caller) fails at once instead of at its timeout.
 */
public interface Droppable {

  /**
   * The message was dropped by the receiver's mailbox bound. Called on the sender's thread (or the
   * thread that caused the drop), outside any lock; must be quick and must not throw.
   */
  void dropped();
}
