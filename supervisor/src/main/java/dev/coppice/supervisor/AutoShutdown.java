// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

/**
 * Whether a supervisor shuts itself down when {@link ChildSpec#significant() significant}
 * children end for good: OTP's {@code auto_shutdown} flag (OTP 24+).
 *
 * <p>A significant child "ends for good" when it exits and is not restarted: a transient one
 * with {@code normal}, {@code shutdown} or {@code {shutdown, detail}}, a temporary one with any
 * reason. Stopping it with {@link Supervisor#terminateChild} does not count.
 *
 * @since 0.1
 */
public enum AutoShutdown {
  /** Never; significant children are then not allowed. The default. */
  NEVER,
  /** As soon as any significant child ends for good, the supervisor exits with {@code shutdown}. */
  ANY_SIGNIFICANT,
  /**
   * When the last significant child that was running or restarting ends for good, the
   * supervisor exits with {@code shutdown}.
   */
  ALL_SIGNIFICANT
}
