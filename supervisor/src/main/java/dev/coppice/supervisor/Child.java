// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.ExitReason;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Pid;

/**
 * INTERNAL: one child of a supervisor, owned by the supervisor's process (never shared).
 *
 * <p>States: {@code RUNNING} with a pid and a monitor; {@code RESTARTING} while its own retry or
 * backoff timer is pending ({@code retryToken} set); {@code NOT_RUNNING} otherwise, which includes
 * the siblings that the strategy will restart with a restarting child (OTP's {@code undefined}).
 */
final class Child {
  enum State {
    RUNNING,
    RESTARTING,
    NOT_RUNNING
  }

  final ChildSpec spec;
  State state = State.NOT_RUNNING;
  Pid pid;
  /** The pid it last ran as, kept after it stops, for reports; null if it never ran. */
  Pid lastPid;
  MonitorRef ref;
  Object value;
  /** Identifies the pending retry message; a retry carrying another token is stale. */
  Object retryToken;
  /** Ticker time of the last successful start, for backoff resets. */
  long startedAt;
  /** Consecutive backoff delays so far. */
  int attempts;
  ExitReason lastExit = ExitReason.NORMAL;

  Child(ChildSpec spec) {
    this.spec = spec;
  }

  String id() {
    return spec.id();
  }

  void running(Pid newPid, MonitorRef newRef, Object newValue, long now) {
    state = State.RUNNING;
    pid = newPid;
    lastPid = newPid;
    ref = newRef;
    value = newValue;
    retryToken = null;
    startedAt = now;
  }

  void stopped() {
    state = State.NOT_RUNNING;
    pid = null;
    ref = null;
    value = null;
    retryToken = null;
  }

  ChildStatus status() {
    return switch (state) {
      case RUNNING -> new ChildStatus.Running(pid);
      case RESTARTING -> ChildStatus.RESTARTING;
      case NOT_RUNNING -> ChildStatus.NOT_RUNNING;
    };
  }

  ChildInfo info() {
    return new ChildInfo(spec.id(), status(), spec.type());
  }

  @Override
  public String toString() {
    return spec.id() + "(" + status() + ")";
  }
}
