// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

/**
 * What a {@link Supervisor} restarts when a child must be restarted: OTP's restart strategies.
 * Children always start in list order and stop in reverse order.
 *
 * @since 0.1
 */
public enum Strategy {
  /** Only the child that ended is restarted; its siblings keep running. The default. */
  ONE_FOR_ONE,
  /**
   * The child that ended and every child started after it: those younger siblings are stopped
   * from the last started to the first, then all are started again in order. Use it when later
   * children depend on earlier ones.
   */
  REST_FOR_ONE,
  /**
   * Every child: all the others are stopped in reverse start order, then all are started again in
   * order. Use it when the children cannot work without each other.
   */
  ONE_FOR_ALL
}
