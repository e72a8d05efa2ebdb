// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Processes;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * The generic server behaviour: OTP's {@code gen_server}. You write the callbacks; the runtime
 * runs the loop on a process of its own, serialises every request, replies, and exits and reports
 * crashes as OTP does.
 *
 * <pre>{@code
 * sealed interface StackCall permits Pop, Size {}
 * record Pop(From<Optional<String>> from) implements StackCall {}
 * record Size(From<Integer> from) implements StackCall {}
 * record Push(String item) {}
 *
 * final class Stack implements GenServer<Deque<String>, StackCall, Push> {
 *   public Init<Deque<String>> init() { return Init.ok(new ArrayDeque<>()); }
 *
 *   public Next<Deque<String>> handleCall(StackCall call, Deque<String> s) {
 *     return switch (call) {
 *       case Pop(var from) -> Next.reply(from, Optional.ofNullable(s.pollFirst()), s);
 *       case Size(var from) -> Next.reply(from, s.size(), s);
 *     };
 *   }
 *
 *   public Next<Deque<String>> handleCast(Push push, Deque<String> s) {
 *     s.push(push.item());
 *     return Next.noreply(s);
 *   }
 * }
 *
 * ServerRef<StackCall, Push> stack = GenServer.start(node, new Stack()).orElseThrow();
 * stack.cast(new Push("a"));
 * Optional<String> top = stack.call(Pop::new);   // 5 s default timeout
 * }</pre>
 *
 * <h2>State</h2>
 *
 * The state belongs to the server's process. It may be mutable, but it must never escape to
 * another thread: hand out copies or immutable values.
 *
 * <h2>Crashes</h2>
 *
 * An exception in a callback, or a {@code null} result, ends the server: {@link #terminate} runs
 * with the last good state, the runtime logs one crash report (server, last message, reason)
 * through slf4j at ERROR, and the process exits with {@link ExitReason.Crash} (or {@link
 * BadReturnValue}). Callers waiting on it fail with {@link ServerExitedException}. Exits with a
 * {@link ExitReason#isQuiet() quiet} reason are not logged.
 *
 * <h2>When terminate runs</h2>
 *
 * After a stop result, a crash in a callback, {@link ServerRef#stop}, and an exit signal from
 * the parent (the process that called {@link #startLink}) while the server traps exits, after the
 * messages queued before it. Never after a kill, after an exit signal to a server that does not
 * trap exits, or when init did not return ok. So never rely on it for anything that must happen:
 * that is what tables with heirs, and supervisors, are for.
 *
 * <h2>When not to use a GenServer</h2>
 *
 * A GenServer serialises everything it is asked. Use one to own state and coordinate, not to
 * organise code: reads of shared data that many processes need at once belong in a table that
 * they read directly (the DataBackup sample reads its protected table without going through the
 * server's mailbox).
 *
 * @param <S> the state type
 * @param <Q> the call request type; usually a sealed interface of records carrying a {@link From}
 * @param <C> the cast message type
 * @since 0.1
 */
public interface GenServer<S, Q, C> {

  /**
   * Initialises the server; runs on the server's process before the start call returns. See
   * {@link Init} for each result and what the runtime does with it. An exception fails the start
   * with {@link ExitReason.Crash} (logged once); {@link #terminate} does not run.
   *
   * @return the result
   * @throws Exception to fail the start
   */
  Init<S> init() throws Exception;

  /**
   * Handles a call. Return {@link Next#reply} to answer now, {@link Next#noreply} to answer later
   * through the request's {@link From}, or a stop result.
   *
   * @implSpec The default throws, which crashes the server and fails the call, as a server with
   *     no {@code handle_call} clause does in Elixir.
   * @param request the request
   * @param state the current state
   * @return what to do next
   */
  default Next<S> handleCall(Q request, S state) {
    throw new UnsupportedOperationException(
        getClass().getName() + " received a call but does not implement handleCall: " + request);
  }

  /**
   * Handles a cast. Return {@link Next#noreply} or a stop result.
   *
   * @implSpec The default throws, which crashes the server.
   * @param message the message
   * @param state the current state
   * @return what to do next
   */
  default Next<S> handleCast(C message, S state) {
    throw new UnsupportedOperationException(
        getClass().getName() + " received a cast but does not implement handleCast: " + message);
  }

  /**
   * Handles any other message: plain sends, {@link dev.coppice.core.Exit} and {@link
   * dev.coppice.core.Down} messages, timers, table transfers, and {@link IdleTimeout}.
   *
   * @implSpec The default logs the message at WARN and keeps the state, as OTP does.
   * @param message the message
   * @param state the current state
   * @return what to do next
   */
  default Next<S> handleInfo(Object message, S state) {
    LoggerFactory.getLogger(GenServer.class)
        .atWarn()
        .addKeyValue("server", Processes.selfOrNull())
        .addKeyValue("message", message)
        .log("{} received an unexpected message and dropped it: {}", getClass().getName(), message);
    return Next.noreply(state);
  }

  /**
   * Handles a {@link Then.Continue}, right after the callback that asked for it and before any
   * queued message.
   *
   * @implSpec The default throws, which crashes the server, as OTP exits with {@code undef}.
   * @param argument the continue argument
   * @param state the current state
   * @return what to do next
   */
  default Next<S> handleContinue(Object argument, S state) {
    throw new UnsupportedOperationException(
        getClass().getName() + " asked to continue but does not implement handleContinue");
  }

  /**
   * Called before the server exits, in the cases listed in the class doc; not guaranteed to run.
   * An exception here replaces the exit reason with its crash.
   *
   * @implSpec The default does nothing.
   * @param reason why the server is exiting
   * @param state the last state
   */
  default void terminate(ExitReason reason, S state) {}

  // ------------------------------------------------------------------ starting

  /**
   * Starts {@code server} on a new process of {@code node}, not linked to anyone, and returns
   * after its {@link #init()} has returned. May be called from any thread.
   *
   * @param node the node
   * @param server the callbacks; use a fresh instance per start
   * @param <S> the state type
   * @param <Q> the call request type
   * @param <C> the cast message type
   * @return the outcome
   * @throws dev.coppice.core.WaitInterruptedException if the calling thread is interrupted while
   *     it waits for init; the new server is killed, as on a start timeout
   */
  static <S, Q, C> OnStart<ServerRef<Q, C>> start(Node node, GenServer<S, Q, C> server) {
    return start(node, server, StartOptions.DEFAULTS);
  }

  /**
   * Starts {@code server} on a new process of {@code node} with options (name, init timeout). May
   * be called from any thread.
   *
   * @param node the node
   * @param server the callbacks
   * @param options the options
   * @param <S> the state type
   * @param <Q> the call request type
   * @param <C> the cast message type
   * @return the outcome
   * @throws dev.coppice.core.WaitInterruptedException if the calling thread is interrupted while
   *     it waits for init; the new server is killed, as on a start timeout
   */
  static <S, Q, C> OnStart<ServerRef<Q, C>> start(
      Node node, GenServer<S, Q, C> server, StartOptions options) {
    Objects.requireNonNull(node, "node");
    return ServerLoop.start(node, server, options, false);
  }

  /**
   * Starts {@code server} on the calling process's node, not linked. Must be called from within a
   * process.
   *
   * @param server the callbacks
   * @param <S> the state type
   * @param <Q> the call request type
   * @param <C> the cast message type
   * @return the outcome
   * @throws dev.coppice.core.WaitInterruptedException if the calling thread is interrupted while
   *     it waits for init; the new server is killed, as on a start timeout
   */
  static <S, Q, C> OnStart<ServerRef<Q, C>> start(GenServer<S, Q, C> server) {
    return ServerLoop.start(Processes.node(), server, StartOptions.DEFAULTS, false);
  }

  /**
   * Starts {@code server} linked to the calling process, which becomes its parent, and returns
   * after init has returned. A failed start is synchronous (OTP 26): it returns only after the
   * server has exited and its link has fired. If init returns {@link Init#stop} with a reason
   * other than normal (or throws), the link takes the caller down with it unless the caller traps
   * exits, and this method throws {@link dev.coppice.core.ProcessExitedException} instead of
   * returning; a trapping caller's {@link dev.coppice.core.Exit} message for the failed start is
   * consumed. On a start timeout the server is unlinked before it is killed, so the caller
   * survives. Must be called from within a process.
   *
   * @param server the callbacks
   * @param <S> the state type
   * @param <Q> the call request type
   * @param <C> the cast message type
   * @return the outcome
   * @throws dev.coppice.core.ProcessExitedException if the failed start's exit signal killed
   *     the calling process
   * @throws dev.coppice.core.WaitInterruptedException if the calling thread is interrupted while
   *     it waits for init; the new server is unlinked and killed, as on a start timeout
   */
  static <S, Q, C> OnStart<ServerRef<Q, C>> startLink(GenServer<S, Q, C> server) {
    return startLink(server, StartOptions.DEFAULTS);
  }

  /**
   * Starts {@code server} linked to the calling process, with options. See {@link
   * #startLink(GenServer)}. Must be called from within a process.
   *
   * @param server the callbacks
   * @param options the options
   * @param <S> the state type
   * @param <Q> the call request type
   * @param <C> the cast message type
   * @return the outcome
   * @throws dev.coppice.core.ProcessExitedException if the failed start's exit signal killed
   *     the calling process
   * @throws dev.coppice.core.WaitInterruptedException if the calling thread is interrupted while
   *     it waits for init; the new server is unlinked and killed, as on a start timeout
   */
  static <S, Q, C> OnStart<ServerRef<Q, C>> startLink(
      GenServer<S, Q, C> server, StartOptions options) {
    return ServerLoop.start(Processes.node(), server, options, true);
  }
}
