// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

/**
 * A process identifier: OTP's pid. Pids are unforgeable (only the runtime creates them), unique
 * within their {@link Node} and never reused, so a stale pid can never be mistaken for a newer
 * process. They print as {@code <0.42>}.
 *
 * <p>A pid is a plain value: holding one keeps nothing alive, and sending to the pid of a process
 * that has ended does nothing, as in OTP.
 *
 * @since 0.1
 */
public final class Pid implements Comparable<Pid> {

  private final long id;
  final Proc proc; // null only for a node's system pid

  Pid(long id, Proc proc) {
    this.id = id;
    this.proc = proc;
  }

  /** {@return the number of this process, unique within its node} */
  public long id() {
    return id;
  }

  /** {@return the node this process belongs to} */
  public Node node() {
    return proc == null ? null : proc.node;
  }

  /**
   * {@return whether the process is alive at this moment; only a snapshot, as OTP's {@code
   * is_process_alive}}
   */
  public boolean isAlive() {
    return proc != null && proc.isAlive();
  }

  /**
   * {@return the reason the process ended with, or empty while it is alive} Like the reason of a
   * {@link Down}, but readable later by anyone holding the pid. May be called from any thread.
   */
  public java.util.Optional<ExitReason> exitReason() {
    if (proc == null) {
      return java.util.Optional.of(ExitReason.NOPROC);
    }
    return proc.isAlive() ? java.util.Optional.empty() : java.util.Optional.ofNullable(proc.exitReason());
  }

  @Override
  public int compareTo(Pid other) {
    return Long.compare(id, other.id);
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }

  @Override
  public String toString() {
    return "<0." + id + ">";
  }
}
