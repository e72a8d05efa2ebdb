// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.WaitInterruptedException;
import dev.coppice.core.genserver.CallException;
import dev.coppice.core.genserver.CallTimeoutException;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.NoProcException;
import dev.coppice.core.genserver.OnStart;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.core.genserver.StartOptions;
import dev.coppice.supervisor.Requests.Request;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A supervisor that starts with no children and gets them at run time: Elixir's {@code
 * DynamicSupervisor} (and Erlang's {@code simple_one_for_one}). Typical use: one child per
 * connection, per session, per job.
 *
 * <pre>{@code
 * DynamicSupervisor sessions =
 *     DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults().withMaxChildren(10_000))
 *         .orElseThrow();
 * sessions.startChild(ChildSpec.worker("session", () -> GenServer.startLink(new Session(user)))
 *     .withRestart(Restart.TEMPORARY));
 * }</pre>
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li>The strategy is one_for_one. Children are known by pid: their ids are only labels, and
 *       duplicates are fine.
 *   <li>Restart types, {@link Backoff}, restart intensity (default 3 in 5 s), shutdown specs and
 *       supervisor reports follow the same rules as {@link Supervisor}. A restart whose start
 *       fails is retried (the child shows as restarting); a restart whose start returns {@code
 *       Ignore} drops the child. A child that ends for good is forgotten.
 *   <li>{@link DynamicSupervisorFlags#extraArguments()} are given to every child's {@link
 *       StartFunction#start(List)}; write such start functions with {@link
 *       StartFunction#withArguments}.
 *   <li>When the supervisor stops, every child gets its exit signal at once, and each is killed
 *       when its own shutdown timeout has passed, so stopping takes about as long as the slowest
 *       child, not the sum (DYN-04).
 *   <li>Significant children are rejected, as current Elixir does.
 *   <li>Where Elixir and Erlang's {@code simple_one_for_one} differ, it follows Elixir: {@link
 *       #terminateChild} of a child that has already ended gives false (Elixir's {@code
 *       {:error, :not_found}}, where OTP answers {@code ok}).
 * </ul>
 *
 * <p>Calls without a timeout wait as long as the supervisor takes; each has an overload with a
 * timeout. Timeouts and interrupts work as for {@link Supervisor}'s calls.
 *
 * @since 0.1
 */
public final class DynamicSupervisor {
  private final Pid pid;
  private final ServerRef<Request, Void> ref;

  private DynamicSupervisor(Pid pid) {
    this.pid = pid;
    this.ref = ServerRef.of(pid);
  }

  /**
   * Starts a dynamic supervisor linked to the calling process, which becomes its parent. Must be
   * called from within a process.
   *
   * @param flags the intensity, child limit and extra arguments
   * @return the outcome: {@link OnStart.Ok}, or {@link OnStart.AlreadyStarted} for a taken name
   * @throws IllegalStateException if not called from a process
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public static OnStart<DynamicSupervisor> startLink(DynamicSupervisorFlags flags) {
    return startLink(flags, StartOptions.DEFAULTS);
  }

  /**
   * Starts a dynamic supervisor linked to the calling process, with a name. Must be called from
   * within a process.
   *
   * @param flags the intensity, child limit and extra arguments
   * @param options the registered name and init timeout
   * @return the outcome
   * @throws IllegalStateException if not called from a process
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public static OnStart<DynamicSupervisor> startLink(
      DynamicSupervisorFlags flags, StartOptions options) {
    Objects.requireNonNull(flags, "flags");
    return wrap(GenServer.startLink(new DynamicSupervisorServer(flags, options.name()), options));
  }

  /**
   * Starts a dynamic supervisor on {@code node} with no parent. May be called from any thread.
   *
   * @param node the node
   * @param flags the intensity, child limit and extra arguments
   * @return the outcome
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public static OnStart<DynamicSupervisor> start(Node node, DynamicSupervisorFlags flags) {
    return start(node, flags, StartOptions.DEFAULTS);
  }

  /**
   * Starts a dynamic supervisor on {@code node} with no parent, with a name. May be called from
   * any thread.
   *
   * @param node the node
   * @param flags the intensity, child limit and extra arguments
   * @param options the registered name and init timeout
   * @return the outcome
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public static OnStart<DynamicSupervisor> start(
      Node node, DynamicSupervisorFlags flags, StartOptions options) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(flags, "flags");
    return wrap(GenServer.start(node, new DynamicSupervisorServer(flags, options.name()), options));
  }

  private static OnStart<DynamicSupervisor> wrap(OnStart<ServerRef<Request, Void>> started) {
    return switch (started) {
      case OnStart.Ok<ServerRef<Request, Void>> ok ->
          new OnStart.Ok<>(new DynamicSupervisor(ok.value().whereis().orElseThrow()));
      case OnStart.Ignore<ServerRef<Request, Void>> i -> new OnStart.Ignore<>();
      case OnStart.AlreadyStarted<ServerRef<Request, Void>> a -> new OnStart.AlreadyStarted<>(a.pid());
      case OnStart.Failed<ServerRef<Request, Void>> f -> new OnStart.Failed<>(f.reason());
    };
  }

  /**
   * {@return a handle on the dynamic supervisor with this pid} May be called from any thread.
   *
   * @param pid its process
   */
  public static DynamicSupervisor of(Pid pid) {
    return new DynamicSupervisor(Objects.requireNonNull(pid, "pid"));
  }

  /** {@return the supervisor's process} May be called from any thread. */
  public Pid pid() {
    return pid;
  }

  /**
   * Starts a child under this supervisor, waiting as long as the supervisor takes. See {@link
   * #startChild(ChildSpec, Duration)}. May be called from any thread.
   *
   * @param spec the child; its id is a label only
   * @return the outcome
   * @throws ChildStartException if the start function failed
   * @throws IllegalArgumentException if the spec is significant
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public DynamicStartResult startChild(ChildSpec spec) {
    return startChild(spec, ServerRef.INFINITY);
  }

  /**
   * Starts a child under this supervisor: Elixir's {@code start_child}. May be called from any
   * thread.
   *
   * @param spec the child; its id is a label only
   * @param timeout how long to wait for the reply; {@link ServerRef#INFINITY} waits as long as
   *     the supervisor takes
   * @return {@link DynamicStartResult.Started}, {@link DynamicStartResult.Ignored} (nothing is
   *     kept) or {@link DynamicStartResult.MaxChildren}
   * @throws ChildStartException if the start function failed
   * @throws IllegalArgumentException if the spec is significant
   * @throws CallTimeoutException if no reply arrives within {@code timeout}: the call is
   *     abandoned and its late reply discarded, but the supervisor still carries the request out
   * @throws IllegalArgumentException if {@code timeout} is negative; the child may start after all
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public DynamicStartResult startChild(ChildSpec spec, Duration timeout) {
    Objects.requireNonNull(spec, "spec");
    Object reply = ref.<Object>call(from -> new Requests.StartChild(spec, from), timeout);
    return switch (reply) {
      case DynamicStartResult r -> r;
      case Requests.StartError e -> throw new ChildStartException(e.id(), e.reason());
      case Requests.Invalid i -> throw new IllegalArgumentException(i.message());
      default -> throw new IllegalStateException("unexpected reply " + reply);
    };
  }

  /**
   * Stops a child, waiting as long as the supervisor takes. See {@link #terminateChild(Pid,
   * Duration)}. May be called from any thread.
   *
   * @param child the child's pid
   * @return true; false if it is not a running child of this supervisor
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public boolean terminateChild(Pid child) {
    return terminateChild(child, ServerRef.INFINITY);
  }

  /**
   * Stops the child with this pid by its shutdown spec and forgets it: Elixir's {@code
   * terminate_child}. May be called from any thread.
   *
   * @param child the child's pid
   * @param timeout how long to wait for the reply; {@link ServerRef#INFINITY} waits as long as
   *     the supervisor takes
   * @return true; false if it is not a running child of this supervisor (Elixir's {@code {:error,
   *     :not_found}}), including a child that has already ended
   * @throws CallTimeoutException if no reply arrives within {@code timeout}: the call is
   *     abandoned and its late reply discarded, but the supervisor still carries the request out
   * @throws IllegalArgumentException if {@code timeout} is negative; the child is stopped after all
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public boolean terminateChild(Pid child, Duration timeout) {
    Objects.requireNonNull(child, "child");
    return ref.<Boolean>call(from -> new Requests.TerminatePid(child, from), timeout);
  }

  /**
   * {@return every child with its status, in start order} Waits as long as the supervisor takes.
   * May be called from any thread.
   *
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public List<ChildInfo> whichChildren() {
    return whichChildren(ServerRef.INFINITY);
  }

  /**
   * {@return every child with its status, in start order} May be called from any thread.
   *
   * @param timeout how long to wait for the reply; {@link ServerRef#INFINITY} waits as long as
   *     the supervisor takes
   * @throws CallTimeoutException if no reply arrives within {@code timeout}: the call is
   *     abandoned and its late reply discarded, but the supervisor still carries the request out
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public List<ChildInfo> whichChildren(Duration timeout) {
    return ref.<List<ChildInfo>>call(from -> new Requests.WhichChildren(false, from), timeout);
  }

  /**
   * {@return the counts of children; restarting ones count in specs but not in active} Waits as
   * long as the supervisor takes. May be called from any thread.
   *
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public ChildCounts countChildren() {
    return countChildren(ServerRef.INFINITY);
  }

  /**
   * {@return the counts of children; restarting ones count in specs but not in active} May be
   * called from any thread.
   *
   * @param timeout how long to wait for the reply; {@link ServerRef#INFINITY} waits as long as
   *     the supervisor takes
   * @throws CallTimeoutException if no reply arrives within {@code timeout}: the call is
   *     abandoned and its late reply discarded, but the supervisor still carries the request out
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public ChildCounts countChildren(Duration timeout) {
    return ref.<ChildCounts>call(Requests.CountChildren::new, timeout);
  }

  /**
   * Stops the supervisor with reason {@code normal}, all children together. Returns when it has
   * exited. May be called from any thread but its own.
   *
   * @throws NoProcException if it is not alive
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public void stop() {
    stop(ServerRef.INFINITY);
  }

  /**
   * Stops the supervisor with reason {@code normal}, all children together, waiting at most
   * {@code timeout} for it to exit. May be called from any thread but its own.
   *
   * @param timeout how long to wait for it to exit; {@link ServerRef#INFINITY} waits as long as
   *     it takes to stop its children
   * @throws NoProcException if it is not alive
   * @throws CallTimeoutException if it has not exited within {@code timeout}; it goes on stopping
   *     its children and then exits
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public void stop(Duration timeout) {
    ref.stop(ExitReason.NORMAL, timeout);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DynamicSupervisor d && pid.equals(d.pid);
  }

  @Override
  public int hashCode() {
    return pid.hashCode();
  }

  @Override
  public String toString() {
    return "DynamicSupervisor[" + pid + "]";
  }
}
