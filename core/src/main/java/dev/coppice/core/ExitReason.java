// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.util.Objects;

/**
 * Why a process ended, or the reason carried by an exit signal: OTP's exit reasons as Java values.
 *
 * <table class="striped">
 *   <caption>OTP reasons and their Java form</caption>
 *   <thead><tr><th>OTP</th><th>coppice</th><th>meaning</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code normal}</td><td>{@link #NORMAL}</td><td>the process finished its work</td></tr>
 *   <tr><td>{@code shutdown}, {@code {shutdown, T}}</td><td>{@link #SHUTDOWN},
 *       {@link #shutdown(Object)}</td><td>asked to stop, usually by a supervisor</td></tr>
 *   <tr><td>{@code kill}</td><td>{@link #KILL}</td><td>the untrappable signal; the victim
 *       exits with {@link Killed}</td></tr>
 *   <tr><td>{@code killed}</td><td>{@link #KILLED}</td><td>what a killed process exits with</td></tr>
 *   <tr><td>{@code noproc}</td><td>{@link #NOPROC}</td><td>the process did not exist</td></tr>
 *   <tr><td>{@code {Error, Stack}}</td><td>{@link Crash}</td><td>an uncaught exception</td></tr>
 *   <tr><td>any other term</td><td>{@link Other}</td><td>{@code exit(Pid, Term)}</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>{@link #isQuiet() Quiet} reasons ({@code normal}, {@code shutdown}, {@code {shutdown, T}})
 * are never logged as crashes, and a transient child that exits with one is not restarted.
 *
 * @since 0.1
 */
public sealed interface ExitReason {

  /** The process finished normally. Ignored by linked processes that do not trap exits. */
  ExitReason NORMAL = new Normal();

  /** Plain {@code shutdown}, as sent by a supervisor. */
  ExitReason SHUTDOWN = new Shutdown(null);

  /** The untrappable kill signal: the target exits at once with {@link #KILLED}. */
  ExitReason KILL = new Kill();

  /** The reason of a process that was killed. */
  ExitReason KILLED = new Killed();

  /** The process did not exist (OTP {@code noproc}). */
  ExitReason NOPROC = new NoProc();

  /**
   * {@return a {@code {shutdown, detail}} reason}
   *
   * @param detail why; may be {@code null}, which means plain {@code shutdown}
   */
  static ExitReason shutdown(Object detail) {
    return detail == null ? SHUTDOWN : new Shutdown(detail);
  }

  /**
   * {@return the crash reason for an uncaught exception}
   *
   * @param cause the exception
   * @throws NullPointerException if {@code cause} is null
   */
  static ExitReason crash(Throwable cause) {
    return new Crash(cause);
  }

  /**
   * {@return any other reason, OTP's {@code exit(Pid, Term)} with a term of your own}
   *
   * @param term the reason; records and enums compare well in tests
   * @throws NullPointerException if {@code term} is null
   */
  static ExitReason other(Object term) {
    return new Other(term);
  }

  /**
   * {@return true for {@code normal}, {@code shutdown} and {@code {shutdown, T}}: such exits are
   * never logged as crashes, and transient children that end with them are not restarted}
   */
  default boolean isQuiet() {
    return this instanceof Normal || this instanceof Shutdown;
  }

  /** {@code normal}. Use {@link #NORMAL}. */
  record Normal() implements ExitReason {
    @Override
    public String toString() {
      return "normal";
    }
  }

  /**
   * {@code shutdown} when {@code detail} is null, otherwise {@code {shutdown, detail}}.
   *
   * @param detail why the process was shut down, or null
   */
  record Shutdown(Object detail) implements ExitReason {
    @Override
    public String toString() {
      return detail == null ? "shutdown" : "{shutdown, " + detail + "}";
    }
  }

  /** The untrappable {@code kill} signal. Use {@link #KILL}. */
  record Kill() implements ExitReason {
    @Override
    public String toString() {
      return "kill";
    }
  }

  /** {@code killed}: the reason of a process that received {@link #KILL}. */
  record Killed() implements ExitReason {
    @Override
    public String toString() {
      return "killed";
    }
  }

  /** {@code noproc}: the process did not exist when it was linked, monitored or called. */
  record NoProc() implements ExitReason {
    @Override
    public String toString() {
      return "noproc";
    }
  }

  /**
   * An uncaught exception ended the process.
   *
   * @param cause the exception
   */
  record Crash(Throwable cause) implements ExitReason {
    /** Checks that the cause is present. */
    public Crash {
      Objects.requireNonNull(cause, "cause");
    }

    @Override
    public String toString() {
      return "{crash, " + cause + "}";
    }
  }

  /**
   * Any other reason, given to {@link Processes#exit(Pid, ExitReason)} or {@link
   * Processes#exit(ExitReason)}.
   *
   * @param term the reason
   */
  record Other(Object term) implements ExitReason {
    /** Checks that the term is present. */
    public Other {
      Objects.requireNonNull(term, "term");
    }

    @Override
    public String toString() {
      return String.valueOf(term);
    }
  }
}
