// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import dev.coppice.core.ExitHook;
import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A typed handle on a {@link GenServer}: by pid, or by registered name (resolved at every call, so
 * it follows a named server across restarts). Calls and casts may be made from any thread:
 * processes and plain threads alike.
 *
 * @param <Q> the server's call request type
 * @param <C> the server's cast message type
 * @since 0.1
 */
public final class ServerRef<Q, C> {

  /** The default call timeout, 5 seconds, as OTP's. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** Wait forever: OTP's {@code infinity}. */
  public static final Duration INFINITY = ChronoUnit.FOREVER.getDuration();

  private final Node node;
  private final Pid pid;
  private final String name;

  private ServerRef(Node node, Pid pid, String name) {
    this.node = node;
    this.pid = pid;
    this.name = name;
  }

  /**
   * {@return a reference to the server with this pid} The request types are not checked: they
   * are your claim about the server.
   *
   * @param pid the server
   * @param <Q> the call request type
   * @param <C> the cast message type
   */
  public static <Q, C> ServerRef<Q, C> of(Pid pid) {
    Objects.requireNonNull(pid, "pid");
    return new ServerRef<>(pid.node(), pid, null);
  }

  /**
   * {@return a reference that finds the server by its registered name at every call} A call when
   * no process has the name fails with {@link NoProcException}.
   *
   * @param node the node whose registry to use
   * @param name the name
   * @param <Q> the call request type
   * @param <C> the cast message type
   */
  public static <Q, C> ServerRef<Q, C> named(Node node, ServerName<Q, C> name) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(name, "name");
    return new ServerRef<>(node, null, name.value());
  }

  /**
   * {@return the server's pid: the fixed one, or the one registered under the name now} May be
   * called from any thread.
   */
  public Optional<Pid> whereis() {
    return pid != null ? Optional.of(pid) : node.whereis(name);
  }

  /** {@return the name this reference resolves, if it is a named reference} */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  private Object who() {
    return pid != null ? pid : name;
  }

  static String describe(Duration timeout) {
    return timeout == null || isInfinite(timeout) ? "infinity" : timeout.toMillis() + " ms";
  }

  private static boolean isInfinite(Duration d) {
    return d.compareTo(Duration.ofDays(365L * 1000)) >= 0;
  }

  /**
   * Calls the server with the 5 second default timeout. See {@link #call(Function, Duration)}.
   *
   * @param request builds the request from its reply handle, usually a record constructor such as
   *     {@code Pop::new}
   * @param <R> the reply type
   * @return the reply
   */
  public <R> R call(Function<From<R>, ? extends Q> request) {
    return call(request, DEFAULT_TIMEOUT);
  }

  /**
   * Makes a synchronous call to this server and waits for the reply.
   *
   * <p>The runtime creates a {@link From} for this call, passes it to {@code request} to build the
   * message, and delivers the message to {@link GenServer#handleCall}. The call returns when the
   * server replies, either by returning {@link Next#reply} or later through {@link From#reply}.
   * While it waits, the caller watches the server, so "the server died" and "timed out" are
   * different outcomes.
   *
   * <p>May be called from any thread. A server calling itself would deadlock, so that throws.
   *
   * @param request builds the request from its reply handle
   * @param timeout how long to wait; {@link #INFINITY} waits forever
   * @param <R> the reply type
   * @return the reply
   * @throws CallTimeoutException if no reply arrives in time; a late reply is discarded
   * @throws NoProcException if the server is not alive, or the name is not registered, when the
   *     call is made
   * @throws ServerExitedException if the server exits before replying; carries its exit reason
   * @throws IllegalStateException if called from the server's own process
   * @throws dev.coppice.core.ProcessExitedException if the calling process has exited, checked
   *     before anything else, or is killed while it waits
   * @throws dev.coppice.core.WaitInterruptedException if the calling thread is interrupted while
   *     it waits; the call is abandoned (a late reply is dropped) and the interrupt status is set
   *     again
   */
  public <R> R call(Function<From<R>, ? extends Q> request, Duration timeout) {
    Processes.ensureAlive(); // a killed process's thread must not retry its way into a spin
    Objects.requireNonNull(request, "request");
    return exchange(
        timeout, from -> new Envelopes.Call(Objects.requireNonNull(request.apply(from), "request built null")));
  }

  /**
   * Returns the server's current state, without running any of its callbacks: OTP's {@code
   * sys:get_state/2}. A debugging aid for tests and for a look at a live system, as in OTP: code
   * that needs the state in production should ask with a call the server defines. The state
   * object is the server's own, not a copy; do not change it. The server answers between two
   * messages, so the state is one that the server had after some callback returned. May be
   * called from any thread but the server's own.
   *
   * @param timeout how long to wait for the answer
   * @param <S> the state type, unchecked: your claim about the server
   * @return the state
   * @throws CallTimeoutException if no answer arrives in time
   * @throws NoProcException if the server is not alive
   * @throws ServerExitedException if the server exits before answering
   * @throws dev.coppice.core.ProcessExitedException if the calling process has exited
   * @throws dev.coppice.core.WaitInterruptedException if the calling thread is interrupted while
   *     it waits
   * @throws IllegalStateException if called from the server's own process
   */
  @SuppressWarnings("unchecked")
  public <S> S getState(Duration timeout) {
    Processes.ensureAlive();
    return (S) exchange(timeout, Envelopes.SystemGetState::new);
  }

  /**
   * Replaces the server's state with {@code update} applied to it, between two messages, and
   * returns the new state: OTP's {@code sys:replace_state/3}. A debugging aid, as in OTP. If
   * {@code update} throws, the state stays as it was, the server keeps running, and this method
   * throws an {@link IllegalStateException} whose cause is what {@code update} threw. The
   * function runs on the server's thread. May be called from any thread but the server's own.
   *
   * @param update computes the new state from the old one; must not return null
   * @param timeout how long to wait for the answer
   * @param <S> the state type, unchecked: your claim about the server
   * @return the new state
   * @throws CallTimeoutException if no answer arrives in time (the update may still happen)
   * @throws NoProcException if the server is not alive
   * @throws ServerExitedException if the server exits before answering
   * @throws IllegalStateException if {@code update} threw, or if called from the server's own
   *     process
   * @throws dev.coppice.core.ProcessExitedException if the calling process has exited
   * @throws dev.coppice.core.WaitInterruptedException if the calling thread is interrupted while
   *     it waits
   */
  @SuppressWarnings("unchecked")
  public <S> S replaceState(UnaryOperator<S> update, Duration timeout) {
    Processes.ensureAlive();
    Objects.requireNonNull(update, "update");
    UnaryOperator<Object> checked =
        old -> Objects.requireNonNull(update.apply((S) old), "replaceState's update returned null");
    Object answer = exchange(timeout, from -> new Envelopes.SystemReplaceState(checked, from));
    if (answer instanceof ServerLoop.ReplaceFailed failed) {
      throw new IllegalStateException(
          "replaceState on " + who() + " failed; the state is unchanged", failed.cause());
    }
    return (S) answer;
  }

  /**
   * One request and its answer: resolves the server, watches it, sends the envelope that {@code
   * envelope} builds around the reply handle, and waits.
   */
  private <R> R exchange(Duration timeout, Function<From<R>, Object> envelope) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("call timeout must not be negative: " + timeout);
    }
    Pid target = pid != null ? pid : node.whereis(name).orElse(null);
    if (target == null) {
      throw new NoProcException(who(), null, timeout);
    }
    if (target.equals(Processes.selfOrNull())) {
      throw new IllegalStateException(
          "call() from the server's own process "
              + target
              + " would deadlock; reply with Next.reply, or use From.reply for deferred work");
    }
    From<R> from = new From<>();
    Object env = envelope.apply(from);
    Object req = env instanceof Envelopes.Call c ? c.request() : env;
    Optional<ExitHook.Registration> watch =
        Processes.onExit(target, (p, reason) -> from.serverExited(reason));
    if (watch.isEmpty()) {
      throw new NoProcException(who(), req, timeout);
    }
    try {
      Processes.send(target, env);
      long nanos = isInfinite(timeout) ? -1 : timeout.toNanos();
      if (from.await(nanos, who())) {
        return from.value();
      }
      if (from.timedOut()) {
        throw new CallTimeoutException(who(), req, timeout);
      }
      throw new ServerExitedException(who(), req, timeout, from.exitReason());
    } finally {
      watch.get().cancel();
    }
  }

  /**
   * Sends {@code message} to {@link GenServer#handleCast} and returns at once. Like OTP's {@code
   * cast}, it never fails: a cast to a dead server or an unregistered name is dropped. May be
   * called from any thread.
   *
   * @param message the message
   */
  public void cast(C message) {
    Processes.ensureAlive();
    Objects.requireNonNull(message, "message");
    Pid target = pid != null ? pid : node.whereis(name).orElse(null);
    if (target != null) {
      Processes.send(target, new Envelopes.Cast(message));
    }
  }

  /**
   * Sends a plain message, which the server gets in {@link GenServer#handleInfo}. Dropped if the
   * server is not alive. May be called from any thread.
   *
   * @param message the message
   */
  public void send(Object message) {
    Processes.ensureAlive();
    Objects.requireNonNull(message, "message");
    Pid target = pid != null ? pid : node.whereis(name).orElse(null);
    if (target != null) {
      Processes.send(target, message);
    }
  }

  /**
   * Stops the server with reason {@code normal} and waits as long as it takes: OTP's {@code
   * gen_server:stop/1}. See {@link #stop(ExitReason, Duration)}.
   */
  public void stop() {
    stop(ExitReason.NORMAL, INFINITY);
  }

  /**
   * Stops the server: it runs {@link GenServer#terminate} with {@code reason} and exits with it,
   * even if it does not trap exits. Returns once the server has exited. May be called from any
   * thread but the server's own.
   *
   * @param reason the exit reason
   * @param timeout how long to wait for the server to exit
   * @throws NoProcException if the server is not alive
   * @throws CallTimeoutException if it has not exited in time (it keeps running)
   * @throws ServerExitedException if it exited with another reason, for example because
   *     terminate threw
   * @throws IllegalStateException if called from the server's own process
   */
  public void stop(ExitReason reason, Duration timeout) {
    Processes.ensureAlive();
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(timeout, "timeout");
    Pid target = pid != null ? pid : node.whereis(name).orElse(null);
    if (target == null) {
      throw new NoProcException(who(), "stop", timeout);
    }
    if (target.equals(Processes.selfOrNull())) {
      throw new IllegalStateException(
          "stop() from the server's own process " + target + " would deadlock; return Next.stop");
    }
    From<Void> done = new From<>();
    Optional<ExitHook.Registration> watch =
        Processes.onExit(target, (p, r) -> done.serverExited(r));
    if (watch.isEmpty()) {
      throw new NoProcException(who(), "stop", timeout);
    }
    try {
      Processes.send(target, new Envelopes.SystemStop(reason));
      long nanos = isInfinite(timeout) ? -1 : timeout.toNanos();
      done.await(nanos, who());
      if (done.timedOut()) {
        throw new CallTimeoutException(who(), "stop", timeout);
      }
      if (!done.exitReason().equals(reason)) {
        throw new ServerExitedException(who(), "stop", timeout, done.exitReason());
      }
    } finally {
      watch.get().cancel();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServerRef<?, ?> r
        && Objects.equals(pid, r.pid)
        && Objects.equals(name, r.name)
        && node == r.node;
  }

  @Override
  public int hashCode() {
    return Objects.hash(pid, name);
  }

  @Override
  public String toString() {
    return "ServerRef[" + who() + "]";
  }
}
