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
import dev.coppice.core.genserver.ServerExitedException;
import dev.coppice.core.genserver.ServerName;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.core.genserver.StartOptions;
import dev.coppice.supervisor.Requests.Request;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A supervisor: a process that starts its children, watches them, and restarts them by their
 * {@link Restart} type and its {@link Strategy}, as Erlang/OTP's {@code supervisor}. A handle on
 * one is returned by {@link #startLink}; the supervisor itself runs on a process of its own.
 *
 * <pre>{@code
 * Supervisor sup = Supervisor.startLink(
 *         SupervisorFlags.oneForOne(),
 *         List.of(
 *             ChildSpec.worker("cache", () -> GenServer.startLink(new Cache())),
 *             ChildSpec.worker("server", () -> GenServer.startLink(new Server()))))
 *     .orElseThrow();
 * sup.whichChildren();   // [server <0.9>, cache <0.8>]: newest first, as OTP
 * }</pre>
 *
 * <h2>Life cycle</h2>
 *
 * <ul>
 *   <li><b>Start.</b> Children start one at a time in list order, each through its {@link
 *       StartFunction} on the supervisor's process; {@code startLink} returns when all have
 *       started. If one fails, the ones already started are stopped in reverse order and the start
 *       fails with {@code Shutdown(}{@link FailedToStartChild}{@code )} (SUP-03). A child whose
 *       start returns {@code Ignore} is kept as not running, unless it is temporary (SUP-04).
 *   <li><b>Running.</b> The supervisor traps exits and watches every child with a monitor. When a
 *       child ends, its restart type decides whether it is restarted; the strategy decides which
 *       siblings are restarted with it (stopped in reverse order, started in order). Each restart
 *       counts toward the {@link SupervisorFlags restart intensity}; past it, the supervisor stops
 *       all children and exits with {@code shutdown}, and its own supervisor decides. A restart
 *       whose start fails leaves the child {@link ChildStatus.Restarting restarting}, retried
 *       through a message to itself so calls are still answered between attempts; every attempt
 *       counts toward the intensity, and is a restart of that child with its strategy group. The
 *       siblings that its strategy restarts with it (the later ones under {@code rest_for_one},
 *       all others under {@code one_for_all}) that have not started yet are {@link
 *       ChildStatus#NOT_RUNNING not running}, as OTP's {@code undefined}, not restarting: {@link
 *       #restartChild} starts one at once, {@link #deleteChild} forgets it, {@link
 *       #terminateChild} leaves it as it is. Each attempt first stops the group's running members
 *       (one started by hand meanwhile included), then starts the group in order, so the attempt
 *       that succeeds starts them all and none runs twice. The same holds while a child waits for
 *       its {@link Backoff} delay.
 *   <li><b>Stop.</b> On its parent's exit signal (its parent is the process that called {@code
 *       startLink}), on {@link #stop()}, on too many restarts, or on an {@link AutoShutdown}, it
 *       stops its children one at a time from the last started to the first, each by its {@link
 *       Shutdown}, then exits. Exit signals from other linked processes are ignored.
 * </ul>
 *
 * <h2>Reports</h2>
 *
 * The supervisor logs through slf4j (logger {@code dev.coppice.supervisor.Supervisor}) at ERROR,
 * once per event, with OTP's field names as key-values: {@code supervisor} (its name or pid),
 * {@code errorContext} ({@code child_terminated}, {@code start_error}, {@code shutdown_error} or
 * {@code reached_max_restart_intensity}, which OTP files under {@code shutdown}), {@code reason},
 * and the offender's fields of OTP's {@code offender} list: {@code offender} (the child's id),
 * {@code pid} (the {@link Pid} it ran as last, or the string {@code undefined} if it never ran),
 * {@code restartType}, {@code shutdown} and {@code childType}. A child that exits with a {@link
 * ExitReason#isQuiet() quiet} reason is not reported. A child's start is logged at DEBUG.
 *
 * <h2>Calls</h2>
 *
 * Management calls without a timeout wait as long as the supervisor takes (OTP's supervisor calls
 * use {@code infinity}): it may be busy starting a child, or stopping one with a long shutdown.
 * Each has an overload with a timeout, as {@link ServerRef#call(java.util.function.Function,
 * Duration)}: past it the call throws {@link CallTimeoutException} and its late reply is
 * discarded, but the supervisor still carries the request out. A call to a supervisor that is not
 * alive throws {@link NoProcException}; one that exits during the call throws {@link
 * ServerExitedException}. A call from the supervisor's own process (from a start function, say)
 * would deadlock and throws {@link IllegalStateException}. A thread interrupted while it waits
 * for a start or a call returns at once with {@link WaitInterruptedException} (not a
 * {@link CallException}) and its interrupt status set again; the request is abandoned, not
 * withdrawn.
 *
 * <h2>Differences from OTP</h2>
 *
 * <ul>
 *   <li>Child ids are strings. There is no {@code simple_one_for_one}: use {@link
 *       DynamicSupervisor}. A handle from {@link #of} on a dynamic supervisor finds no child by
 *       id: {@link #terminateChild} gives false, {@link #restartChild} {@link
 *       RestartChildResult.NotFound} and {@link #deleteChild} {@link DeleteChildResult#NOT_FOUND},
 *       where OTP's {@code simple_one_for_one} answers {@code {error, simple_one_for_one}}.
 *   <li>Children may have a {@link Backoff}, which OTP does not offer.
 *   <li>Restart intensity is measured in nanoseconds of an injectable {@link
 *       dev.coppice.core.Ticker}, not in whole seconds.
 *   <li>The supervisor watches every running child with a monitor as well as the link its start
 *       function made, and acts on the monitor's {@link dev.coppice.core.Down}. A child that
 *       unlinks itself from its supervisor is therefore still restarted when it ends, and still
 *       found ended when it is stopped; OTP, which acts on the link's exit signal, would not
 *       notice its end.
 *   <li>Outcomes that OTP returns as {@code {error, Reason}} from a start are thrown as {@link
 *       ChildStartException} (and an invalid spec as {@link IllegalArgumentException}); the rest
 *       are result values.
 * </ul>
 *
 * @since 0.1
 */
public final class Supervisor {
  private final Pid pid;
  private final ServerRef<Request, Void> ref;

  private Supervisor(Pid pid, ServerRef<Request, Void> ref) {
    this.pid = pid;
    this.ref = ref;
  }

  // ------------------------------------------------------------------ starting

  /**
   * Starts a supervisor linked to the calling process, which becomes its parent, and returns once
   * every child has started. Must be called from within a process.
   *
   * <p>The outcomes: {@link OnStart.Ok} with the supervisor; {@link OnStart.Failed} with {@code
   * Shutdown(FailedToStartChild(id, reason))} if a child failed to start, in which case the
   * supervisor exited with that reason, which also ends a calling process that does not trap exits
   * (as in OTP); {@link OnStart.AlreadyStarted} if the name in {@code options} is taken.
   *
   * @param flags the strategy, intensity and clock
   * @param children the children, in start order
   * @return the outcome
   * @throws IllegalArgumentException if two children share an id, or a child is significant where
   *     that is not allowed; the message names the child
   * @throws IllegalStateException if not called from a process
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public static OnStart<Supervisor> startLink(SupervisorFlags flags, List<ChildSpec> children) {
    return startLink(flags, children, StartOptions.DEFAULTS);
  }

  /**
   * Starts a supervisor linked to the calling process, with a name or an init timeout. See {@link
   * #startLink(SupervisorFlags, List)}. Must be called from within a process.
   *
   * @param flags the strategy, intensity and clock
   * @param children the children, in start order
   * @param options the registered name and init timeout
   * @return the outcome
   * @throws IllegalArgumentException if two children share an id, or a child is significant where
   *     that is not allowed
   * @throws IllegalStateException if not called from a process
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public static OnStart<Supervisor> startLink(
      SupervisorFlags flags, List<ChildSpec> children, StartOptions options) {
    List<ChildSpec> copy = List.copyOf(children);
    Validation.check(flags, copy);
    return startLink(() -> SupervisorInit.ok(flags, copy), options);
  }

  /**
   * Starts a supervisor linked to the calling process whose flags and children come from {@code
   * init}, run on the supervisor's process: OTP's {@code Module:init/1}. If it returns {@link
   * SupervisorInit#ignore()}, the start returns {@link OnStart.Ignore}; if it throws (an invalid
   * child list included), the start fails with its crash. Must be called from within a process.
   *
   * @param init computes the flags and children
   * @param options the registered name and init timeout
   * @return the outcome
   * @throws IllegalStateException if not called from a process
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public static OnStart<Supervisor> startLink(
      Callable<SupervisorInit> init, StartOptions options) {
    Objects.requireNonNull(init, "init");
    return wrap(GenServer.startLink(new SupervisorServer(init, options.name()), options));
  }

  /**
   * Starts a supervisor on {@code node} with no parent (not linked to the caller). Stop it with
   * {@link #stop()}. May be called from any thread.
   *
   * @param node the node
   * @param flags the strategy, intensity and clock
   * @param children the children, in start order
   * @return the outcome
   * @throws IllegalArgumentException if two children share an id, or a child is significant where
   *     that is not allowed
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public static OnStart<Supervisor> start(
      Node node, SupervisorFlags flags, List<ChildSpec> children) {
    return start(node, flags, children, StartOptions.DEFAULTS);
  }

  /**
   * Starts a supervisor on {@code node} with no parent, with a name or an init timeout. May be
   * called from any thread.
   *
   * @param node the node
   * @param flags the strategy, intensity and clock
   * @param children the children, in start order
   * @param options the registered name and init timeout
   * @return the outcome
   * @throws IllegalArgumentException if two children share an id, or a child is significant where
   *     that is not allowed
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public static OnStart<Supervisor> start(
      Node node, SupervisorFlags flags, List<ChildSpec> children, StartOptions options) {
    List<ChildSpec> copy = List.copyOf(children);
    Validation.check(flags, copy);
    return start(node, () -> SupervisorInit.ok(flags, copy), options);
  }

  /**
   * Starts a supervisor on {@code node} with no parent, whose flags and children come from {@code
   * init}. See {@link #startLink(Callable, StartOptions)}. May be called from any thread.
   *
   * @param node the node
   * @param init computes the flags and children
   * @param options the registered name and init timeout
   * @return the outcome
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public static OnStart<Supervisor> start(
      Node node, Callable<SupervisorInit> init, StartOptions options) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(init, "init");
    return wrap(GenServer.start(node, new SupervisorServer(init, options.name()), options));
  }

  static OnStart<Supervisor> wrap(OnStart<ServerRef<Request, Void>> started) {
    return switch (started) {
      case OnStart.Ok<ServerRef<Request, Void>> ok ->
          new OnStart.Ok<>(new Supervisor(ok.value().whereis().orElseThrow(), ok.value()));
      case OnStart.Ignore<ServerRef<Request, Void>> i -> new OnStart.Ignore<>();
      case OnStart.AlreadyStarted<ServerRef<Request, Void>> a -> new OnStart.AlreadyStarted<>(a.pid());
      case OnStart.Failed<ServerRef<Request, Void>> f -> new OnStart.Failed<>(f.reason());
    };
  }

  /**
   * {@return a handle on the supervisor with this pid} Works on a {@link DynamicSupervisor} too,
   * for {@link #whichChildren()} (newest first here too, where {@link
   * DynamicSupervisor#whichChildren()} lists start order), {@link #countChildren()} and {@link
   * #tree()}. May be called from any thread.
   *
   * @param pid the supervisor's process
   */
  public static Supervisor of(Pid pid) {
    Objects.requireNonNull(pid, "pid");
    return new Supervisor(pid, ServerRef.of(pid));
  }

  /**
   * {@return a handle that finds the supervisor by its registered name at every call, so it
   * follows a named supervisor across restarts} May be called from any thread.
   *
   * @param node the node whose registry to use
   * @param name the registered name
   */
  public static Supervisor named(Node node, String name) {
    return new Supervisor(null, ServerRef.named(node, new ServerName<Request, Void>(name)));
  }

  /**
   * {@return the supervisor's process: the fixed one, or the one registered under the name now}
   * May be called from any thread.
   */
  public Optional<Pid> whereis() {
    return pid != null ? Optional.of(pid) : ref.whereis();
  }

  /**
   * {@return the supervisor's process} May be called from any thread.
   *
   * @throws IllegalStateException if this is a {@link #named} handle and no process has the name
   */
  public Pid pid() {
    return whereis()
        .orElseThrow(
            () -> new IllegalStateException("no supervisor is registered as " + ref.name()));
  }

  // ------------------------------------------------------------------ management

  /**
   * Adds a child and starts it, waiting as long as the supervisor takes. See {@link
   * #startChild(ChildSpec, Duration)}. May be called from any thread.
   *
   * @param spec the child
   * @return the outcome
   * @throws ChildStartException if the start function failed; the spec is not kept
   * @throws IllegalArgumentException if the spec is significant where that is not allowed
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public StartChildResult startChild(ChildSpec spec) {
    return startChild(spec, ServerRef.INFINITY);
  }

  /**
   * Adds a child and starts it: OTP's {@code start_child}. It becomes the newest child: last in
   * start order, first to stop. May be called from any thread.
   *
   * @param spec the child
   * @param timeout how long to wait for the reply; {@link ServerRef#INFINITY} waits as long as
   *     the supervisor takes
   * @return {@link StartChildResult.Started}; {@link StartChildResult.Ignored} if its start
   *     returned {@code Ignore} (a non-temporary spec is kept as not running); {@link
   *     StartChildResult.AlreadyStarted} or {@link StartChildResult.AlreadyPresent} if a child
   *     with that id exists, running or not
   * @throws ChildStartException if the start function failed; the spec is not kept
   * @throws IllegalArgumentException if the spec is significant where that is not allowed
   * @throws CallTimeoutException if no reply arrives within {@code timeout}: the call is
   *     abandoned and its late reply discarded, but the supervisor still carries the request out
   * @throws IllegalArgumentException if {@code timeout} is negative; the child may start after all
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public StartChildResult startChild(ChildSpec spec, Duration timeout) {
    Objects.requireNonNull(spec, "spec");
    Object reply = ref.<Object>call(from -> new Requests.StartChild(spec, from), timeout);
    return switch (reply) {
      case StartChildResult r -> r;
      case Requests.StartError e -> throw new ChildStartException(e.id(), e.reason());
      case Requests.Invalid i -> throw new IllegalArgumentException(i.message());
      default -> throw new IllegalStateException("unexpected reply " + reply);
    };
  }

  /**
   * Stops a child, waiting as long as the supervisor takes. See {@link #terminateChild(String,
   * Duration)}. May be called from any thread.
   *
   * @param id the child's id
   * @return true; false if no child has that id
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public boolean terminateChild(String id) {
    return terminateChild(id, ServerRef.INFINITY);
  }

  /**
   * Stops a child by its shutdown spec and keeps its spec (a temporary child's spec is dropped):
   * OTP's {@code terminate_child}. Stopping a child that does not run, or waits to restart (the
   * retries stop), also succeeds. It never counts as a restart, never triggers one, and never
   * triggers an {@link AutoShutdown}. May be called from any thread.
   *
   * @param id the child's id
   * @param timeout how long to wait for the reply; {@link ServerRef#INFINITY} waits as long as
   *     the supervisor takes
   * @return true; false if no child has that id (OTP's {@code {error, not_found}})
   * @throws CallTimeoutException if no reply arrives within {@code timeout}: the call is
   *     abandoned and its late reply discarded, but the supervisor still carries the request out
   * @throws IllegalArgumentException if {@code timeout} is negative; the child is stopped after all
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public boolean terminateChild(String id, Duration timeout) {
    Objects.requireNonNull(id, "id");
    return ref.<Boolean>call(from -> new Requests.TerminateChild(id, from), timeout);
  }

  /**
   * Starts a child that is not running, waiting as long as the supervisor takes. See {@link
   * #restartChild(String, Duration)}. May be called from any thread.
   *
   * @param id the child's id
   * @return the outcome
   * @throws ChildStartException if the start function failed; the child stays not running
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public RestartChildResult restartChild(String id) {
    return restartChild(id, ServerRef.INFINITY);
  }

  /**
   * Starts a child that is not running (terminated, ignored, a transient one that ended quietly,
   * or one waiting for a restarting sibling's restart): OTP's {@code restart_child}. May be
   * called from any thread.
   *
   * @param id the child's id
   * @param timeout how long to wait for the reply; {@link ServerRef#INFINITY} waits as long as
   *     the supervisor takes
   * @return {@link RestartChildResult.Restarted} or {@link RestartChildResult.Ignored}; {@link
   *     RestartChildResult.Running}, {@link RestartChildResult.Restarting} or {@link
   *     RestartChildResult.NotFound} when there is nothing to start
   * @throws ChildStartException if the start function failed; the child stays not running
   * @throws CallTimeoutException if no reply arrives within {@code timeout}: the call is
   *     abandoned and its late reply discarded, but the supervisor still carries the request out
   * @throws IllegalArgumentException if {@code timeout} is negative; the child may start after all
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public RestartChildResult restartChild(String id, Duration timeout) {
    Objects.requireNonNull(id, "id");
    Object reply = ref.<Object>call(from -> new Requests.RestartChild(id, from), timeout);
    return switch (reply) {
      case RestartChildResult r -> r;
      case Requests.StartError e -> throw new ChildStartException(e.id(), e.reason());
      default -> throw new IllegalStateException("unexpected reply " + reply);
    };
  }

  /**
   * Forgets a child that is not running, waiting as long as the supervisor takes. See {@link
   * #deleteChild(String, Duration)}. May be called from any thread.
   *
   * @param id the child's id
   * @return the outcome
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public DeleteChildResult deleteChild(String id) {
    return deleteChild(id, ServerRef.INFINITY);
  }

  /**
   * Forgets a child that is not running: OTP's {@code delete_child}. May be called from any
   * thread.
   *
   * @param id the child's id
   * @param timeout how long to wait for the reply; {@link ServerRef#INFINITY} waits as long as
   *     the supervisor takes
   * @return {@link DeleteChildResult#DELETED}, or why not
   * @throws CallTimeoutException if no reply arrives within {@code timeout}: the call is
   *     abandoned and its late reply discarded, but the supervisor still carries the request out
   * @throws IllegalArgumentException if {@code timeout} is negative; the child may be deleted after all
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public DeleteChildResult deleteChild(String id, Duration timeout) {
    Objects.requireNonNull(id, "id");
    return ref.<DeleteChildResult>call(from -> new Requests.DeleteChild(id, from), timeout);
  }

  /**
   * {@return every child with its status, newest first (reverse start order, as OTP's {@code
   * which_children})} Waits as long as the supervisor takes. May be called from any thread.
   *
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public List<ChildInfo> whichChildren() {
    return whichChildren(ServerRef.INFINITY);
  }

  /**
   * {@return every child with its status, newest first (reverse start order, as OTP's {@code
   * which_children})} May be called from any thread.
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
    return ref.<List<ChildInfo>>call(from -> new Requests.WhichChildren(true, from), timeout);
  }

  /**
   * {@return the counts of children: OTP's {@code count_children}} Waits as long as the
   * supervisor takes. May be called from any thread.
   *
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public ChildCounts countChildren() {
    return countChildren(ServerRef.INFINITY);
  }

  /**
   * {@return the counts of children: OTP's {@code count_children}; active counts the children
   * whose process is alive} May be called from any thread.
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
   * {@return the spec of a child, every default filled in: OTP's {@code get_childspec}} Waits as
   * long as the supervisor takes. May be called from any thread.
   *
   * @param id the child's id
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public Optional<ChildSpec> getChildSpec(String id) {
    return getChildSpec(id, ServerRef.INFINITY);
  }

  /**
   * {@return the spec of a child, every default filled in: OTP's {@code get_childspec}} May be
   * called from any thread.
   *
   * @param id the child's id
   * @param timeout how long to wait for the reply; {@link ServerRef#INFINITY} waits as long as
   *     the supervisor takes
   * @throws CallTimeoutException if no reply arrives within {@code timeout}: the call is
   *     abandoned and its late reply discarded, but the supervisor still carries the request out
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws CallException if the supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public Optional<ChildSpec> getChildSpec(String id, Duration timeout) {
    Objects.requireNonNull(id, "id");
    return ref.<Optional<ChildSpec>>call(from -> new Requests.GetChildSpec(id, from), timeout);
  }

  /**
   * Stops the supervisor with reason {@code normal}: its children stop in reverse start order,
   * then it exits. Returns when it has exited. May be called from any thread but its own.
   *
   * @throws NoProcException if it is not alive
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public void stop() {
    stop(ExitReason.NORMAL);
  }

  /**
   * Stops the supervisor with {@code reason}. See {@link #stop()}. May be called from any thread
   * but its own.
   *
   * @param reason the supervisor's exit reason
   * @throws NoProcException if it is not alive
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public void stop(ExitReason reason) {
    stop(reason, ServerRef.INFINITY);
  }

  /**
   * Stops the supervisor with {@code reason}, waiting at most {@code timeout} for it to exit. See
   * {@link #stop()}. May be called from any thread but its own.
   *
   * @param reason the supervisor's exit reason
   * @param timeout how long to wait for it to exit; {@link ServerRef#INFINITY} waits as long as
   *     it takes to stop its children
   * @throws NoProcException if it is not alive
   * @throws CallTimeoutException if it has not exited within {@code timeout}; it goes on stopping
   *     its children and then exits
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public void stop(ExitReason reason, Duration timeout) {
    ref.stop(reason, timeout);
  }

  /**
   * {@return a text drawing of this supervisor's tree: its children in start order, and under
   * each running child supervisor its own children} Children that end while the tree is drawn show
   * as they were. May be called from any thread.
   *
   * <pre>
   * app &lt;0.5&gt;
   * ├─ db &lt;0.6&gt; worker
   * └─ pool &lt;0.7&gt; supervisor
   *    ├─ w1 &lt;0.8&gt; worker
   *    └─ w2 restarting worker
   * </pre>
   *
   * <p>The first line is the supervisor's registered name, if it has one, and its pid.
   *
   * @throws CallException if this supervisor is not alive or exits during the call
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public String tree() {
    return tree(ServerRef.INFINITY);
  }

  /**
   * {@return a text drawing of this supervisor's tree, as {@link #tree()}, with each supervisor's
   * answer awaited at most {@code timeout}} A child supervisor that does not answer in time (busy
   * stopping or starting a child, say) is drawn with a line saying so in place of its children.
   * May be called from any thread.
   *
   * @param timeout how long to wait for each supervisor's answer
   * @throws CallTimeoutException if this supervisor does not answer within {@code timeout}
   * @throws CallException if this supervisor is not alive or exits during the call
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws WaitInterruptedException if the calling thread is interrupted while it waits;
   *     its interrupt status is set again
   */
  public String tree(Duration timeout) {
    List<ChildInfo> children = whichChildren(timeout);
    StringBuilder out = new StringBuilder();
    Pid root = pid();
    for (String name : root.node().registered()) {
      if (root.node().whereis(name).filter(root::equals).isPresent()) {
        out.append(name).append(' ');
        break;
      }
    }
    out.append(root).append('\n');
    draw(out, "", children, timeout);
    return out.toString();
  }

  private static void draw(
      StringBuilder out, String indent, List<ChildInfo> newestFirst, Duration timeout) {
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      ChildInfo c = newestFirst.get(i);
      boolean last = i == 0;
      out.append(indent)
          .append(last ? "└─ " : "├─ ")
          .append(c.id())
          .append(' ')
          .append(c.status())
          .append(' ')
          .append(c.type().name().toLowerCase(java.util.Locale.ROOT))
          .append('\n');
      if (c.type() == ChildType.SUPERVISOR && c.status() instanceof ChildStatus.Running r) {
        String under = indent + (last ? "   " : "│  ");
        List<ChildInfo> sub;
        try {
          sub = Supervisor.of(r.pid()).whichChildren(timeout);
        } catch (CallTimeoutException busy) {
          out.append(under).append("└─ (no answer within ").append(timeout).append(")\n");
          continue;
        } catch (CallException gone) {
          continue; // it ended meanwhile
        }
        draw(out, under, sub, timeout);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Supervisor s && ref.equals(s.ref);
  }

  @Override
  public int hashCode() {
    return ref.hashCode();
  }

  @Override
  public String toString() {
    return "Supervisor[" + (pid != null ? pid : ref.name().orElse("?")) + "]";
  }
}
