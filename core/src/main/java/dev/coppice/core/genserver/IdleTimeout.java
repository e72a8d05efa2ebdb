// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

/**
 * The message {@link GenServer#handleInfo} receives when a {@link Then.Timeout} expires: OTP's
 * {@code timeout} atom.
 *
 * @since 0.1
 */
public enum IdleTimeout {
  /** The single value. */
  INSTANCE
}
