// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

/**
 * Code that runs when a process ends, <em>before</em> its exit signals and monitor messages go
 * out. This is how resources owned by a process react to its death: an ETS-style table hands
 * itself to its heir here, so the heir holds the table before it sees the owner's {@link Exit} or
 * {@link Down}.
 *
 * <h2>When it runs</h2>
 *
 * A process's exit runs once, in this order: it is marked dead and its registered name is
 * released; its exit hooks run, in registration order; its links and monitors fire; its thread is
 * interrupted if it is still running. Hooks run on whichever thread performs the exit: the dying
 * process's own thread, or the thread that killed it.
 *
 * <p>A hook runs outside any process, whichever thread that is: {@link Processes#selfOrNull()}
 * is null inside it. It may send ({@link Processes#send(Pid, Object)} or {@link Node#send}), but
 * not receive, link or monitor.
 *
 * <p>A hook must be short and must not block or wait for other processes: the exit, and whoever
 * killed the process, waits for it. A hook that throws is logged and the exit goes on.
 *
 * @see Processes#onExit(Pid, ExitHook)
 * @since 0.1
 */
@FunctionalInterface
public interface ExitHook {

  /**
   * Called once when the process ends.
   *
   * @param pid the process that ended
   * @param reason its exit reason
   */
  void onExit(Pid pid, ExitReason reason);

  /**
   * A registered hook, which can be removed before it runs.
   *
   * @since 0.1
   */
  sealed interface Registration permits HookRegistration {

    /** {@return the process the hook watches} */
    Pid pid();

    /**
     * Removes the hook if it has not run yet. May be called from any thread.
     *
     * @return true if the hook was removed and will never run; false if it has run or is running,
     *     or was already removed
     */
    boolean cancel();
  }
}
