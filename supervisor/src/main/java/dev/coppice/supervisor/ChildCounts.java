// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

/**
 * The result of {@link Supervisor#countChildren()}: OTP's {@code [{specs, N}, {active, A},
 * {supervisors, S}, {workers, W}]}.
 *
 * @param specs every child the supervisor knows, running or not
 * @param active the children whose process is running
 * @param supervisors the children of type {@link ChildType#SUPERVISOR}, running or not
 * @param workers the children of type {@link ChildType#WORKER}, running or not
 * @since 0.1
 */
public record ChildCounts(int specs, int active, int supervisors, int workers) {}
