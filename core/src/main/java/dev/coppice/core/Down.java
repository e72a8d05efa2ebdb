// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

/**
 * The message a monitor delivers when the monitored process ends: OTP's {@code {'DOWN', Ref,
 * process, Pid, Reason}}.
 *
 * @param ref the reference {@link Processes#monitor(Pid)} returned
 * @param pid the process that ended; {@code null} only for a monitor on a registered name that
 *     had no process when the monitor was set (the reason is then {@link ExitReason#NOPROC})
 * @param reason why it ended; {@link ExitReason#NOPROC} when it did not exist when monitored
 * @since 0.1
 */
public record Down(MonitorRef ref, Pid pid, ExitReason reason) {}
