// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import dev.coppice.core.ExitReason;
import java.time.Duration;
import java.util.Objects;

/**
 * The result of {@link GenServer#handleCall}, {@link GenServer#handleCast}, {@link
 * GenServer#handleInfo} and {@link GenServer#handleContinue}: what the server does next.
 *
 * <ul>
 *   <li>{@link #noreply(Object)}: keep looping with the new state (OTP {@code {noreply, S}}). From
 *       handleCall, the caller keeps waiting; answer later with {@link From#reply}, from this or
 *       any other process.
 *   <li>{@link #reply(From, Object, Object)}: send the reply, then keep looping (OTP {@code
 *       {reply, R, S}}).
 *   <li>{@link #stop(ExitReason, Object)}: run {@link GenServer#terminate}, then exit with the
 *       reason (OTP {@code {stop, Reason, S}}). A caller still waiting fails with {@link
 *       ServerExitedException}, even for {@code normal}.
 *   <li>{@link #stopReply(ExitReason, From, Object, Object)}: run terminate, then reply, then
 *       exit (OTP {@code {stop, Reason, Reply, S}}).
 * </ul>
 *
 * {@link #withTimeout}, {@link #thenContinue} and {@link #hibernate} add OTP's optional last
 * element to the first two.
 *
 * @param <S> the server's state type
 * @since 0.1
 */
public sealed interface Next<S> {

  /** {@return the new state} */
  S state();

  /** {@return what to do before waiting for the next message} */
  Then then();

  /**
   * {@return this result with another {@link Then}}
   *
   * @param then the action
   * @throws IllegalStateException on a stop result, which ends the server
   */
  Next<S> with(Then then);

  /**
   * {@return this result with an idle timeout: if no message arrives in time, {@link
   * GenServer#handleInfo} gets {@link IdleTimeout#INSTANCE}}
   *
   * @param idle how long
   */
  default Next<S> withTimeout(Duration idle) {
    return with(new Then.Timeout(idle));
  }

  /**
   * {@return this result followed at once by {@link GenServer#handleContinue}, before any queued
   * message}
   *
   * @param argument passed to handleContinue
   */
  default Next<S> thenContinue(Object argument) {
    return with(new Then.Continue(argument));
  }

  /** {@return this result with the hibernate hint (see {@link Then.Hibernate})} */
  default Next<S> hibernate() {
    return with(new Then.Hibernate());
  }

  /**
   * {@return keep looping with {@code state}, no reply}
   *
   * @param state the new state
   * @param <S> the state type
   */
  static <S> Next<S> noreply(S state) {
    return new NoReply<>(state, Then.NOTHING);
  }

  /**
   * {@return reply {@code value} to the caller behind {@code to}, then keep looping}
   *
   * @param to the reply handle from the request
   * @param value the reply; may be null
   * @param state the new state
   * @param <S> the state type
   * @param <R> the reply type
   */
  static <S, R> Next<S> reply(From<R> to, R value, S state) {
    return new Reply<>(to, value, state, Then.NOTHING);
  }

  /**
   * {@return run terminate, then exit with {@code reason}}
   *
   * @param reason the exit reason
   * @param state the state terminate sees
   * @param <S> the state type
   */
  static <S> Next<S> stop(ExitReason reason, S state) {
    return new Stop<>(reason, state);
  }

  /**
   * {@return run terminate, reply, then exit with {@code reason}}
   *
   * @param reason the exit reason
   * @param to the reply handle
   * @param value the reply
   * @param state the state terminate sees
   * @param <S> the state type
   * @param <R> the reply type
   */
  static <S, R> Next<S> stopReply(ExitReason reason, From<R> to, R value, S state) {
    return new StopReply<>(reason, to, value, state);
  }

  /**
   * Keep looping, no reply.
   *
   * @param state the state
   * @param then the follow-up
   * @param <S> the state type
   */
  record NoReply<S>(S state, Then then) implements Next<S> {
    /** Checks that {@code then} is present. */
    public NoReply {
      Objects.requireNonNull(then, "then");
    }

    @Override
    public Next<S> with(Then t) {
      return new NoReply<>(state, t);
    }
  }

  /**
   * Reply and keep looping.
   *
   * @param to the reply handle
   * @param value the reply
   * @param state the state
   * @param then the follow-up
   * @param <S> the state type
   * @param <R> the reply type
   */
  record Reply<S, R>(From<R> to, R value, S state, Then then) implements Next<S> {
    /** Checks that {@code to} and {@code then} are present. */
    public Reply {
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(then, "then");
    }

    @Override
    public Next<S> with(Then t) {
      return new Reply<>(to, value, state, t);
    }
  }

  /**
   * Terminate and exit.
   *
   * @param reason the reason
   * @param state the state
   * @param <S> the state type
   */
  record Stop<S>(ExitReason reason, S state) implements Next<S> {
    /** Checks that the reason is present. */
    public Stop {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Then then() {
      return Then.NOTHING;
    }

    @Override
    public Next<S> with(Then t) {
      throw new IllegalStateException("a stop result ends the server; it has no " + t);
    }
  }

  /**
   * Terminate, reply, and exit.
   *
   * @param reason the reason
   * @param to the reply handle
   * @param value the reply
   * @param state the state
   * @param <S> the state type
   * @param <R> the reply type
   */
  record StopReply<S, R>(ExitReason reason, From<R> to, R value, S state) implements Next<S> {
    /** Checks that the reason and reply handle are present. */
    public StopReply {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(to, "to");
    }

    @Override
    public Then then() {
      return Then.NOTHING;
    }

    @Override
    public Next<S> with(Then t) {
      throw new IllegalStateException("a stop result ends the server; it has no " + t);
    }
  }
}
