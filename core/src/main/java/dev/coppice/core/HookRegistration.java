// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.util.concurrent.atomic.AtomicBoolean;

final class HookRegistration extends AtomicBoolean implements ExitHook.Registration {
  private static final long serialVersionUID = 1L;

  final transient Proc proc;
  final transient ExitHook hook;

  HookRegistration(Proc proc, ExitHook hook) {
    this.proc = proc;
    this.hook = hook;
  }

  /** Claims the hook for running; false if it was cancelled. */
  boolean claim() {
    return compareAndSet(false, true);
  }

  @Override
  public Pid pid() {
    return proc.pid;
  }

  @Override
  public boolean cancel() {
    if (!compareAndSet(false, true)) {
      return false;
    }
    proc.removeHook(this);
    return true;
  }
}
