// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

/**
 * An exit signal received as a message by a process that traps exits: OTP's {@code {'EXIT',
 * From, Reason}}.
 *
 * @param from the process that sent the signal or whose link fired
 * @param reason the reason it carried
 * @since 0.1
 */
public record Exit(Pid from, ExitReason reason) {}
