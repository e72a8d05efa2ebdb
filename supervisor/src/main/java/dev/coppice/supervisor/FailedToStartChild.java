// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.ExitReason;
import java.util.Objects;

/**
 * Why a supervisor failed to start: one of its children did. The supervisor stopped the children
 * it had started (in reverse order) and exited with {@code ExitReason.shutdown(this)}, so its
 * start returns {@code OnStart.Failed(Shutdown(FailedToStartChild(id, reason)))}: OTP's {@code
 * {error, {shutdown, {failed_to_start_child, Id, Reason}}}}.
 *
 * @param id the child that failed
 * @param reason why its start failed
 * @since 0.1
 */
public record FailedToStartChild(String id, ExitReason reason) {
  /** Checks that the values are present. */
  public FailedToStartChild {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return "{failed_to_start_child, " + id + ", " + reason + "}";
  }
}
