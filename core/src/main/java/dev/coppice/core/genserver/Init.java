// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import dev.coppice.core.ExitReason;
import java.time.Duration;
import java.util.Objects;

/**
 * The result of {@link GenServer#init()}, OTP's {@code init/1} return values.
 *
 * <ul>
 *   <li>{@link #ok(Object)}: the server runs with this state; the start returns {@link
 *       OnStart.Ok}. {@link Ok#withTimeout}, {@link Ok#thenContinue} and {@link Ok#hibernate} add
 *       OTP's {@code {ok, S, Timeout | hibernate | {continue, C}}}.
 *   <li>{@link #ignore()}: the server exits {@code normal}; the start returns {@link
 *       OnStart.Ignore}.
 *   <li>{@link #stop(ExitReason)}: the server exits with the reason, so a linked starter that does
 *       not trap exits dies with it unless it is {@code normal}; the start returns {@link
 *       OnStart.Failed} with the reason.
 *   <li>{@link #error(ExitReason)} (OTP 26's {@code {error, R}}): the server exits {@code
 *       normal}, so no linked process is hurt; the start returns {@link OnStart.Failed} with the
 *       reason.
 * </ul>
 *
 * {@link GenServer#terminate} is never called when init does not return {@code ok}.
 *
 * @param <S> the server's state type
 * @since 0.1
 */
public sealed interface Init<S> {

  /**
   * {@return a successful init with this state}
   *
   * @param state the initial state; may be null
   * @param <S> the state type
   */
  static <S> Ok<S> ok(S state) {
    return new Ok<>(state, Then.NOTHING);
  }

  /**
   * {@return an init that declines to start; the server exits normally}
   *
   * @param <S> the state type
   */
  static <S> Init<S> ignore() {
    return new Ignore<>();
  }

  /**
   * {@return an init that fails; the server exits with {@code reason}}
   *
   * @param reason the exit reason and start failure
   * @param <S> the state type
   */
  static <S> Init<S> stop(ExitReason reason) {
    return new Stop<>(reason);
  }

  /**
   * {@return an init that fails without hurting linked processes: the server exits normally and
   * the start reports {@code reason}}
   *
   * @param reason the start failure
   * @param <S> the state type
   */
  static <S> Init<S> error(ExitReason reason) {
    return new Error<>(reason);
  }

  /**
   * The server starts with {@code state}.
   *
   * @param state the state
   * @param then what to do before waiting for the first message
   * @param <S> the state type
   */
  record Ok<S>(S state, Then then) implements Init<S> {
    /** Checks that {@code then} is present. */
    public Ok {
      Objects.requireNonNull(then, "then");
    }

    /**
     * {@return this result with an idle timeout: OTP's {@code {ok, S, Timeout}}}
     *
     * @param idle how long to wait for a first message before {@link IdleTimeout} is handled
     */
    public Ok<S> withTimeout(Duration idle) {
      return new Ok<>(state, new Then.Timeout(idle));
    }

    /**
     * {@return this result followed by {@link GenServer#handleContinue}: OTP's {@code {ok, S,
     * {continue, C}}}}
     *
     * @param argument passed to handleContinue
     */
    public Ok<S> thenContinue(Object argument) {
      return new Ok<>(state, new Then.Continue(argument));
    }

    /** {@return this result with the hibernate hint: OTP's {@code {ok, S, hibernate}}} */
    public Ok<S> hibernate() {
      return new Ok<>(state, new Then.Hibernate());
    }
  }

  /**
   * The server declines to start.
   *
   * @param <S> the state type
   */
  record Ignore<S>() implements Init<S> {}

  /**
   * The server fails to start and exits with {@code reason}.
   *
   * @param reason the reason
   * @param <S> the state type
   */
  record Stop<S>(ExitReason reason) implements Init<S> {
    /** Checks that the reason is present. */
    public Stop {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The server fails to start and exits normally.
   *
   * @param reason what the start reports
   * @param <S> the state type
   */
  record Error<S>(ExitReason reason) implements Init<S> {
    /** Checks that the reason is present. */
    public Error {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
