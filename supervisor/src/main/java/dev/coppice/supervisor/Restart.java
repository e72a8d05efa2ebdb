// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

/**
 * When a child that ended is restarted: OTP's {@code restart} child spec field.
 *
 * @since 0.1
 */
public enum Restart {
  /**
   * Always restarted, even after a {@code normal} or {@code shutdown} exit; every such restart
   * counts toward the restart intensity. The default.
   */
  PERMANENT,
  /**
   * Restarted only after an abnormal exit: anything but {@code normal}, {@code shutdown} and
   * {@code {shutdown, detail}} ({@code killed} is abnormal). A transient child that ends quietly
   * keeps its spec and shows as not running.
   */
  TRANSIENT,
  /** Never restarted; its spec is removed when it ends, for whatever reason. */
  TEMPORARY;

  /**
   * {@return whether a child of this restart type that ended with {@code reason} is restarted}
   *
   * @param reason the child's exit reason
   */
  public boolean restarts(dev.coppice.core.ExitReason reason) {
    return switch (this) {
      case PERMANENT -> true;
      case TRANSIENT -> !reason.isQuiet();
      case TEMPORARY -> false;
    };
  }
}
