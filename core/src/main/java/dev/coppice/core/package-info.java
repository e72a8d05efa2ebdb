// SPDX-License-Identifier: Apache-2.0
/**
 * Processes as in Erlang/OTP, each on a virtual thread of its own with a mailbox: {@link
 * dev.coppice.core.Node}, {@link dev.coppice.core.Pid}, {@link dev.coppice.core.Processes}, exit
 * reasons, links, monitors, the name registry, timers and exit hooks.
 *
 * <p>Unless otherwise specified, passing {@code null} to any method of this package throws
 * {@link NullPointerException}. Each method's javadoc names its thread role: "May be called from
 * any thread", or "Must be called from within a process".
 */
package dev.coppice.core;
