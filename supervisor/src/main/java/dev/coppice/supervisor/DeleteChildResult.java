// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

/**
 * The outcome of {@link Supervisor#deleteChild(String)}: OTP's {@code ok} or {@code {error,
 * running | restarting | not_found}}.
 *
 * @since 0.1
 */
public enum DeleteChildResult {
  /** The child was not running; its spec is gone. */
  DELETED,
  /** The child runs; stop it with {@link Supervisor#terminateChild} first. */
  RUNNING,
  /** The child waits for a restart; stop it with {@link Supervisor#terminateChild} first. */
  RESTARTING,
  /** No child has that id. */
  NOT_FOUND
}
