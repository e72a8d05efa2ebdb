// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.Pid;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@link Supervisor#whichChildren()}: OTP's {@code {Id, Child, Type, Modules}}
 * without the modules.
 *
 * @param id the child's id (under a {@link DynamicSupervisor}, the id of its spec, which need
 *     not be unique)
 * @param status whether it runs, and as which process
 * @param type worker or supervisor
 * @since 0.1
 */
public record ChildInfo(String id, ChildStatus status, ChildType type) {
  /** Checks that the values are present. */
  public ChildInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(type, "type");
  }

  /** {@return the child's pid while it runs} */
  public Optional<Pid> pid() {
    return status instanceof ChildStatus.Running r ? Optional.of(r.pid()) : Optional.empty();
  }
}
