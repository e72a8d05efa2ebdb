// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

/**
 * Whether a child is a worker or a supervisor of its own: OTP's {@code type} child spec field.
 * It sets the default shutdown ({@link Shutdown#timeout 5 s} for a worker, {@link
 * Shutdown#infinity() infinity} for a supervisor, so a subtree has all the time it needs) and is
 * counted by {@link Supervisor#countChildren()}.
 *
 * @since 0.1
 */
public enum ChildType {
  /** An ordinary process. */
  WORKER,
  /** A supervisor: the child is the root of a subtree. */
  SUPERVISOR
}
