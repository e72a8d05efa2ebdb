// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

/**
 * The calling thread made a process by {@link Node#attach()}. Closing it ends the process with
 * {@code normal} (if it is still alive) and detaches the thread.
 *
 * @since 0.1
 */
public final class AttachedProcess implements AutoCloseable {
  private final Proc proc;

  AttachedProcess(Proc proc) {
    this.proc = proc;
  }

  /** {@return the pid of the attached process} */
  public Pid pid() {
    return proc.pid;
  }

  /**
   * Ends the process normally if it is alive, and detaches the calling thread. Must be called
   * from the thread that attached. Clears an interrupt that a kill of this process left.
   *
   * @throws IllegalStateException if called from another thread
   */
  @Override
  public void close() {
    if (proc.thread != Thread.currentThread()) {
      throw new IllegalStateException(
          "close the attached process " + proc.pid + " from the thread that attached it");
    }
    boolean wasAlive = proc.terminate(ExitReason.NORMAL);
    proc.node.abandon(proc);
    proc.clearMailbox();
    if (!wasAlive) {
      // killed by another thread: wait until that exit has interrupted us, then clear it, so
      // no late interrupt reaches the thread once it is no longer a process
      proc.awaitExitDone();
      Thread.interrupted();
    }
  }
}
