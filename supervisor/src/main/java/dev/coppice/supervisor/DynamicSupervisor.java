// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.genserver.CallException;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.NoProcException;
import dev.coppice.core.genserver.OnStart;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.core.genserver.StartOptions;
import dev.coppice.supervisor.Requests.Request;
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
 * </ul>
 *
 * <p>Calls wait as long as the supervisor takes, as {@link Supervisor}'s do.
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
   * Starts a child under this supervisor: Elixir's {@code start_child}. May be called from any
   * thread.
   *
   * @param spec the child; its id is a label only
   * @return {@link DynamicStartResult.Started}, {@link DynamicStartResult.Ignored} (nothing is
   *     kept) or {@link DynamicStartResult.MaxChildren}
   * @throws ChildStartException if the start function failed
   * @throws IllegalArgumentException if the spec is significant
   * @throws CallException if the supervisor is not alive or exits during the call
   */
  public DynamicStartResult startChild(ChildSpec spec) {
    Objects.requireNonNull(spec, "spec");
    Object reply =
        ref.<Object>call(from -> new Requests.StartChild(spec, from), ServerRef.INFINITY);
    return switch (reply) {
      case DynamicStartResult r -> r;
      case Requests.StartError e -> throw new ChildStartException(e.id(), e.reason());
      case Requests.Invalid i -> throw new IllegalArgumentException(i.message());
      default -> throw new IllegalStateException("unexpected reply " + reply);
    };
  }

  /**
   * Stops the child with this pid by its shutdown spec and forgets it: Elixir's {@code
   * terminate_child}. May be called from any thread.
   *
   * @param child the child's pid
   * @return true; false if it is not a running child of this supervisor (Elixir's {@code {:error,
   *     :not_found}}), including a child that has already ended
   * @throws CallException if the supervisor is not alive or exits during the call
   */
  public boolean terminateChild(Pid child) {
    Objects.requireNonNull(child, "child");
    return ref.<Boolean>call(from -> new Requests.TerminatePid(child, from), ServerRef.INFINITY);
  }

  /**
   * {@return every child with its status, in start order} May be called from any thread.
   *
   * @throws CallException if the supervisor is not alive or exits during the call
   */
  public List<ChildInfo> whichChildren() {
    return ref.<List<ChildInfo>>call(Requests.WhichChildren::new, ServerRef.INFINITY);
  }

  /**
   * {@return the counts of children; restarting ones count in specs but not in active} May be
   * called from any thread.
   *
   * @throws CallException if the supervisor is not alive or exits during the call
   */
  public ChildCounts countChildren() {
    return ref.<ChildCounts>call(Requests.CountChildren::new, ServerRef.INFINITY);
  }

  /**
   * Stops the supervisor with reason {@code normal}, all children together. Returns when it has
   * exited. May be called from any thread but its own.
   *
   * @throws NoProcException if it is not alive
   */
  public void stop() {
    ref.stop(ExitReason.NORMAL, ServerRef.INFINITY);
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
