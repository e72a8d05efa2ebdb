// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import dev.coppice.core.ExitReason;
import dev.coppice.core.Pid;
import java.util.Objects;

/**
 * The outcome of starting a process synchronously: Elixir's {@code on_start} type.
 *
 * <ul>
 *   <li>{@link Ok}: started; OTP {@code {ok, Pid}}.
 *   <li>{@link Ignore}: init declined; OTP {@code ignore}.
 *   <li>{@link AlreadyStarted}: the name was taken; OTP {@code {error, {already_started, Pid}}}.
 *   <li>{@link Failed}: init failed, timed out or crashed; OTP {@code {error, Reason}}.
 * </ul>
 *
 * Failures are values, not exceptions, so that supervisors can act on them; {@link
 * #orElseThrow()} turns them into {@link StartFailedException} for the common case.
 *
 * @param <T> what a successful start gives
 * @since 0.1
 */
public sealed interface OnStart<T> {

  /**
   * {@return the value of a successful start}
   *
   * @throws StartFailedException if the start did not succeed; its reason says why
   */
  default T orElseThrow() {
    return switch (this) {
      case Ok<T> ok -> ok.value();
      case Ignore<T> i -> throw new StartFailedException(ExitReason.other("ignore"));
      case AlreadyStarted<T> a ->
          throw new StartFailedException(ExitReason.other("already_started " + a.pid()));
      case Failed<T> f -> throw new StartFailedException(f.reason());
    };
  }

  /**
   * Started.
   *
   * @param value what the start gives, usually a {@link ServerRef}
   * @param <T> its type
   */
  record Ok<T>(T value) implements OnStart<T> {
    /** Checks that the value is present. */
    public Ok {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * Init returned {@link Init#ignore()}; the process exited normally.
   *
   * @param <T> the value type of a successful start
   */
  record Ignore<T>() implements OnStart<T> {}

  /**
   * The name asked for is registered to another live process.
   *
   * @param pid that process
   * @param <T> the value type of a successful start
   */
  record AlreadyStarted<T>(Pid pid) implements OnStart<T> {}

  /**
   * The start failed: init returned stop or error, threw, or did not return in time (reason
   * {@code timeout}), or the process died during init.
   *
   * @param reason why
   * @param <T> the value type of a successful start
   */
  record Failed<T>(ExitReason reason) implements OnStart<T> {
    /** Checks that the reason is present. */
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
