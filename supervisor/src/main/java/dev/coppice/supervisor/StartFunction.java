// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.OnStart;
import dev.coppice.core.genserver.ServerRef;
import java.util.List;
import java.util.Objects;

/**
 * How a supervisor starts a child: OTP's {@code start} MFA, as a function that the supervisor
 * calls on its own process for the first start and for every restart, so that each start builds a
 * fresh instance (never capture a server instance: {@code () -> GenServer.startLink(new
 * Server())}).
 *
 * <p>The function should start the child linked to the calling process (the supervisor), with
 * {@code GenServer.startLink}, {@code Supervisor.startLink}, {@code DynamicSupervisor.startLink}
 * or {@link #spawnLink}, and return when it has started. Its result:
 *
 * <ul>
 *   <li>{@link OnStart.Ok} with a {@link Pid}, a {@link ServerRef}, a {@link Supervisor} or a
 *       {@link DynamicSupervisor}: the child runs as that process. The value is handed back by
 *       {@link StartChildResult.Started#value()}.
 *   <li>{@link OnStart.Ignore}: the child did not start and that is fine (OTP's {@code ignore}).
 *   <li>{@link OnStart.Failed}, {@link OnStart.AlreadyStarted}, any other value, or an exception:
 *       the start failed.
 * </ul>
 *
 * @since 0.1
 */
@FunctionalInterface
public interface StartFunction {

  /**
   * Starts the child. Called on the supervisor's process.
   *
   * @return the outcome
   * @throws Exception to fail the start; the exception becomes the failure's {@link
   *     dev.coppice.core.ExitReason.Crash crash} reason
   */
  OnStart<?> start() throws Exception;

  /**
   * Starts the child with the extra arguments of a {@link DynamicSupervisor} (Elixir's {@code
   * extra_arguments}, which go in front of the child's own arguments). A {@link Supervisor} calls
   * it with an empty list.
   *
   * @implSpec The default ignores the arguments and calls {@link #start()}; functions made with
   *     {@link #withArguments} pass them on.
   * @param extraArguments the supervisor's extra arguments
   * @return the outcome
   * @throws Exception to fail the start
   */
  default OnStart<?> start(List<Object> extraArguments) throws Exception {
    return start();
  }

  /**
   * {@return a start function that receives the extra arguments of its {@link DynamicSupervisor}}
   * Under a {@link Supervisor} it receives an empty list.
   *
   * @param start the function
   */
  static StartFunction withArguments(WithArguments start) {
    return new ArgumentStart(Objects.requireNonNull(start, "start"));
  }

  /**
   * {@return a start function that spawns a plain process linked to the supervisor} Each start
   * runs {@code body} on a new process.
   *
   * @param body what the child process does
   */
  static StartFunction spawnLink(Runnable body) {
    Objects.requireNonNull(body, "body");
    return () -> new OnStart.Ok<>(Processes.spawnLink(body));
  }

  /**
   * A start function that takes a {@link DynamicSupervisor}'s extra arguments.
   *
   * @since 0.1
   */
  @FunctionalInterface
  interface WithArguments {
    /**
     * Starts the child.
     *
     * @param extraArguments the supervisor's extra arguments; empty under a {@link Supervisor}
     * @return the outcome
     * @throws Exception to fail the start
     */
    OnStart<?> start(List<Object> extraArguments) throws Exception;
  }
}
