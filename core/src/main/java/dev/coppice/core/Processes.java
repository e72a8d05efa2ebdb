// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The process primitives of OTP, acting on the calling process: spawn, links, monitors, exit
 * signals, send and receive, the name registry and timers.
 *
 * <pre>{@code
 * import static dev.coppice.core.Processes.*;
 *
 * Pid worker = spawnLink(() -> copyFiles(batch));
 * MonitorRef ref = monitor(worker);
 * switch (receive(Duration.ofSeconds(5))) {
 *   case null -> exit(worker, ExitReason.KILL);
 *   case Down d when d.ref() == ref -> log.info("worker ended: {}", d.reason());
 *   default -> { }
 * }
 * }</pre>
 *
 * <h2>Thread roles</h2>
 *
 * Methods that say "Must be called from within a process" act on the calling process and throw
 * {@link IllegalStateException} on any other thread; use {@link Node#attach()} to make a plain
 * thread a process. A process that has already exited (for example one killed while it ran user
 * code) can no longer act: those methods throw {@link ProcessExitedException} on its thread.
 * A process's thread carries its process as its {@linkplain Thread#getUncaughtExceptionHandler()
 * uncaught-exception handler}; do not replace it, or the thread no longer knows its process.
 *
 * <h2>Message order</h2>
 *
 * Between one sender and one receiver, messages arrive in the order they were sent, exit signals
 * and {@link Down} messages included. A selective receive takes the first matching message and
 * leaves the others queued in their order.
 *
 * <p>Unless otherwise specified, passing {@code null} to any method throws {@link
 * NullPointerException}.
 *
 * @since 0.1
 */
public final class Processes {
  private Processes() {}

  static {
    dev.coppice.core.internal.ProcessAccess.install(
        new dev.coppice.core.internal.ProcessAccess() {
          @Override
          public Object receive(Pid self, long nanos) {
            Proc p = self.proc;
            if (p == null || p.thread != Thread.currentThread()) {
              throw new IllegalStateException(self + " is not the calling thread's process");
            }
            return p.receive(nanos);
          }

          @Override
          public void parkUntil(Object blocker, long deadline) {
            Deadlines.parkUntil(Current.get(), blocker, deadline);
          }

          @Override
          public void timedWaitEnded() {
            Proc p = Current.get();
            if (p != null) {
              Deadlines.waitEnded(p);
            }
          }
        });
  }

  static Proc current() {
    Proc p = Current.get();
    if (p == null) {
      throw new IllegalStateException(
          "not called from a process: call it from code that runs in a process (Node.spawn), "
              + "or make this thread a process with Node.attach()");
    }
    return p;
  }

  private static Proc acting() {
    Proc p = current();
    p.checkAlive();
    return p;
  }

  // ------------------------------------------------------------------ identity

  /**
   * {@return the pid of the calling process} Must be called from within a process; works even
   * after the process has exited.
   *
   * @throws IllegalStateException if the calling thread is not a process
   */
  public static Pid self() {
    return current().pid;
  }

  /**
   * {@return the pid of the calling process, or {@code null} if the calling thread is not a
   * process} May be called from any thread. For code that serves processes and plain threads
   * alike, such as tables.
   */
  public static Pid selfOrNull() {
    Proc p = Current.get();
    return p == null ? null : p.pid;
  }

  /**
   * {@return the node of the calling process} Must be called from within a process.
   *
   * @throws IllegalStateException if the calling thread is not a process
   */
  public static Node node() {
    return current().node;
  }

  /**
   * {@return whether {@code pid} is alive at this moment; a snapshot only} May be called from any
   * thread.
   *
   * @param pid the process
   */
  public static boolean isAlive(Pid pid) {
    return Objects.requireNonNull(pid, "pid").isAlive();
  }

  /**
   * Checks that the calling process has not exited. Code that waits outside {@link #receive}
   * (on a lock, a latch, a reply slot) calls it when interrupted: a killed process's thread must
   * stop acting. Does nothing on a thread that is not a process. May be called from any thread.
   *
   * @throws ProcessExitedException if the calling process has exited
   */
  public static void ensureAlive() {
    Proc p = Current.get();
    if (p != null) {
      p.checkAlive();
    }
  }

  // ------------------------------------------------------------------ spawn

  /**
   * Spawns a process on the calling process's node. See {@link Node#spawn(Runnable)}. Must be
   * called from within a process.
   *
   * @param body what the new process does
   * @return its pid
   */
  public static Pid spawn(Runnable body) {
    Objects.requireNonNull(body, "body");
    return acting().node.spawn(body);
  }

  /**
   * Spawns a process linked to the calling one, atomically: the link exists before the new
   * process runs. Must be called from within a process.
   *
   * @param body what the new process does
   * @return its pid
   */
  public static Pid spawnLink(Runnable body) {
    Objects.requireNonNull(body, "body");
    Proc me = acting();
    Proc p = me.node.newProc();
    me.link(p);
    if (!me.isAlive()) { // killed meanwhile: the child must not outlive its link; it never runs
      p.terminate(me.exitReason());
      me.node.abandon(p);
      throw me.exited();
    }
    me.node.startThread(p, body);
    return p.pid;
  }

  // ------------------------------------------------------------------ links

  /**
   * Links the calling process with {@code pid}: when either ends, the other receives an exit
   * signal with its reason. Linking to itself or twice does nothing.
   *
   * <p>If {@code pid} is not alive, the calling process receives an exit signal {@code noproc}
   * at once: it dies with {@link ExitReason#NOPROC} unless it traps exits, in which case it gets
   * {@code Exit(pid, noproc)} as a message (OTP's behaviour for a dead pid).
   *
   * <p>Must be called from within a process.
   *
   * @param pid the process to link to
   */
  public static void link(Pid pid) {
    Proc me = acting();
    me.link(me.node.local(pid));
    me.checkAlive();
  }

  /**
   * Removes the link between the calling process and {@code pid}. Once it returns, the link
   * sends no more signals, but an {@link Exit} message already queued stays queued. Unlinking a
   * process that is not linked does nothing. Must be called from within a process.
   *
   * @param pid the linked process
   * @throws ProcessExitedException if the calling process has exited, for example because the
   *     link's exit signal arrived before the unlink
   */
  public static void unlink(Pid pid) {
    Proc me = acting();
    me.unlink(me.node.local(pid));
    me.checkAlive(); // a link signal that won the race killed us before the unlink
  }

  /**
   * Sets whether the calling process traps exits: when it does, exit signals (other than {@link
   * ExitReason#KILL}) arrive as {@link Exit} messages instead of ending it. Applies to signals
   * that arrive after the call. Must be called from within a process.
   *
   * @param trap the new value
   * @return the previous value
   */
  public static boolean trapExits(boolean trap) {
    Proc me = acting();
    boolean old = me.trapExits;
    me.trapExits = trap;
    return old;
  }

  /** {@return whether the calling process traps exits} Must be called from within a process. */
  public static boolean trapsExits() {
    return current().trapExits;
  }

  /**
   * Sends an exit signal with {@code reason} to {@code pid}, as OTP's {@code exit/2}.
   *
   * <ul>
   *   <li>{@link ExitReason#KILL}: the target dies at once with {@link ExitReason#KILLED}, even if
   *       it traps exits. Its links and monitors fire before this method returns, and its thread
   *       is interrupted; if that thread is still running user code, whatever it tries through
   *       coppice afterwards fails with {@link ProcessExitedException}.
   *   <li>If the target traps exits: it receives {@code Exit(self, reason)} as a message.
   *   <li>{@link ExitReason#NORMAL} to a target that does not trap exits: ignored, unless the
   *       target is the caller itself, which then exits normally.
   *   <li>Any other reason: a target that does not trap exits dies with it.
   * </ul>
   *
   * A signal to a process that has ended does nothing. May be called from any thread; outside a
   * process the sender is the node's {@link Node#systemPid()}.
   *
   * @param pid the target
   * @param reason the reason
   */
  public static void exit(Pid pid, ExitReason reason) {
    Objects.requireNonNull(pid, "pid");
    Objects.requireNonNull(reason, "reason");
    Proc me = Current.get();
    Proc target = pid.proc;
    if (target == null) {
      return; // a system pid is never alive
    }
    if (me == null) {
      target.exitSignal(target.node.systemPid(), reason, false);
      return;
    }
    me.checkAlive();
    target.exitSignalFrom(me, reason);
    me.checkAlive();
  }

  /**
   * Ends the calling process with {@code reason}, as OTP's {@code exit/1}: its links and monitors
   * fire with that reason. Unlike an uncaught exception, this is not logged as a crash. Never
   * returns normally: it throws {@link ProcessExitedException} to unwind the thread. Must be
   * called from within a process.
   *
   * @param reason the exit reason
   * @return never returns; declared so that callers can write {@code throw exit(reason)}
   * @throws ProcessExitedException always
   */
  public static ProcessExitedException exit(ExitReason reason) {
    Objects.requireNonNull(reason, "reason");
    Proc me = acting();
    me.terminate(reason instanceof ExitReason.Kill ? ExitReason.KILL : reason);
    throw me.exited();
  }

  // ------------------------------------------------------------------ monitors

  /**
   * Monitors {@code pid}: when it ends, the calling process receives one {@link Down} with the
   * returned reference. If it is not alive, the Down (reason {@link ExitReason#NOPROC}) arrives
   * at once. Every call creates an independent monitor. A monitor never kills its owner. Must be
   * called from within a process.
   *
   * @param pid the process to watch
   * @return the monitor's reference
   */
  public static MonitorRef monitor(Pid pid) {
    Proc me = acting();
    return me.monitor(me.node.local(pid), null);
  }

  /**
   * Monitors the process registered as {@code name} now. {@link MonitorRef#name()} gives the
   * name back. If no process has that name, a Down with a null pid and reason {@link
   * ExitReason#NOPROC} arrives at once. Must be called from within a process.
   *
   * @param name the registered name
   * @return the monitor's reference
   */
  public static MonitorRef monitor(String name) {
    Objects.requireNonNull(name, "name");
    Proc me = acting();
    Proc target = me.node.resolve(name);
    return target == null ? me.monitorUnresolved(name) : me.monitor(target, name);
  }

  /**
   * Removes a monitor and flushes its Down if one is already queued, as OTP's {@code
   * demonitor(Ref, [flush, info])}: once it returns, no Down for {@code ref} is or will be in
   * the mailbox. Must be called from the process that set the monitor.
   *
   * @param ref the monitor
   * @return true if the monitor was removed before it fired; false if it had fired already
   */
  public static boolean demonitor(MonitorRef ref) {
    return demonitor(ref, true);
  }

  /**
   * Removes a monitor, as OTP's {@code demonitor/2}: once it returns, no Down for {@code ref}
   * will be added to the mailbox; with {@code flush} a Down already queued is removed too. Must
   * be called from the process that set the monitor.
   *
   * @param ref the monitor
   * @param flush whether to remove a Down already queued
   * @return true if the monitor was removed before it fired; false if it had fired already
   * @throws IllegalArgumentException if the calling process did not set this monitor
   */
  public static boolean demonitor(MonitorRef ref, boolean flush) {
    Objects.requireNonNull(ref, "ref");
    Proc me = acting();
    if (ref.watcher != me) {
      throw new IllegalArgumentException(
          ref + " belongs to " + ref.watcher.pid + ", not to the calling process " + me.pid);
    }
    return me.demonitor(ref, flush);
  }

  // ------------------------------------------------------------------ messages

  /**
   * Sends {@code message} to {@code pid}. Sending to a process that has ended does nothing, as in
   * OTP. May be called from any thread; a process that has exited can no longer send.
   *
   * <p>A send from a process is atomic with respect to that process being killed: if the kill
   * comes first the send throws, otherwise the message is queued before the process's exit
   * signals and {@link Down} messages go out, so it never arrives after them.
   *
   * @param pid the receiver
   * @param message the message; records are the usual choice
   * @throws ProcessExitedException if the calling process has exited
   */
  public static void send(Pid pid, Object message) {
    Proc to = Objects.requireNonNull(pid, "pid").proc;
    Objects.requireNonNull(message, "message");
    Proc me = Current.get();
    if (me != null) {
      me.sendAs(to, message);
    } else if (to != null) {
      to.deliver(message);
    }
  }

  /**
   * Sends {@code message} to the process registered as {@code name} on the calling process's
   * node. Must be called from within a process.
   *
   * @param name the registered name
   * @param message the message
   * @throws IllegalArgumentException if no process has that name (OTP's badarg)
   */
  public static void send(String name, Object message) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(message, "message");
    Proc me = acting();
    Proc to = me.node.resolve(name);
    if (to == null) {
      throw new IllegalArgumentException("no process is registered as '" + name + "'");
    }
    me.sendAs(to, message);
  }

  /**
   * Takes the oldest message from the calling process's mailbox, waiting as long as it takes.
   * Must be called from within a process.
   *
   * @return the message
   * @throws ProcessExitedException if the process exits (is killed) while it waits
   */
  public static Object receive() {
    return acting().receive(-1);
  }

  /**
   * Takes the oldest message, waiting at most {@code timeout}; OTP's {@code receive ... after}.
   * Must be called from within a process.
   *
   * @param timeout how long to wait; zero only looks
   * @return the message, or {@code null} if none arrived in time
   */
  public static Object receive(Duration timeout) {
    return acting().receive(nanos(timeout));
  }

  /**
   * Selective receive: takes the first message that is an instance of {@code type} and matches
   * {@code filter}, waiting at most {@code timeout}. Other messages stay queued in their order.
   * Must be called from within a process.
   *
   * @param type the message type
   * @param filter the condition; must not have side effects
   * @param timeout how long to wait; zero only looks
   * @param <T> the message type
   * @return the message, or {@code null} if none matched in time
   */
  public static <T> T receive(Class<T> type, Predicate<? super T> filter, Duration timeout) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(filter, "filter");
    return acting().receive(type, filter, nanos(timeout));
  }

  /**
   * Selective receive with no time limit: takes the first message that is an instance of {@code
   * type} and matches {@code filter}, waiting as long as it takes. Other messages stay queued in
   * their order. Must be called from within a process.
   *
   * @param type the message type
   * @param filter the condition; must not have side effects
   * @param <T> the message type
   * @return the message
   * @throws ProcessExitedException if the process exits (is killed) while it waits
   */
  public static <T> T receive(Class<T> type, Predicate<? super T> filter) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(filter, "filter");
    return acting().receive(type, filter, -1);
  }

  /**
   * Selective receive with no time limit: the first message of {@code type}. Must be called from
   * within a process.
   *
   * @param type the message type
   * @param <T> the message type
   * @return the message
   */
  public static <T> T receive(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return acting().receive(type, null, -1);
  }

  /**
   * {@return the messages waiting in the calling process's mailbox, oldest first, without taking
   * them} Meant for tests and debugging. Must be called from within a process.
   */
  public static List<Object> mailbox() {
    return acting().peekMailbox();
  }

  private static long nanos(Duration timeout) {
    return nanos(timeout, "timeout");
  }

  private static long nanos(Duration timeout, String parameter) {
    Objects.requireNonNull(timeout, parameter);
    if (timeout.isNegative()) {
      throw new IllegalArgumentException(parameter + " must not be negative: " + timeout);
    }
    try {
      return timeout.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  // ------------------------------------------------------------------ registry

  /**
   * Registers {@code pid} under {@code name} on the calling process's node. See {@link
   * Node#register}. Must be called from within a process.
   *
   * @param name the name
   * @param pid the process
   */
  public static void register(String name, Pid pid) {
    acting().node.register(name, pid);
  }

  /**
   * Removes a registered name. See {@link Node#unregister}. Must be called from within a
   * process.
   *
   * @param name the name
   */
  public static void unregister(String name) {
    acting().node.unregister(name);
  }

  /**
   * {@return the process registered as {@code name} on the calling process's node} Must be
   * called from within a process.
   *
   * @param name the name
   */
  public static Optional<Pid> whereis(String name) {
    return current().node.whereis(name);
  }

  // ------------------------------------------------------------------ timers

  /**
   * Sends {@code message} to {@code pid} after {@code delay}, as OTP's {@code send_after/3}. The
   * timer is cancelled if the process ends first. May be called from any thread; a process that
   * has exited can no longer start timers.
   *
   * @param delay the delay
   * @param pid the receiver
   * @param message the message
   * @return the timer
   * @throws IllegalArgumentException if {@code delay} is negative or {@code pid} is a system pid
   * @throws ProcessExitedException if the calling process has exited
   */
  public static TimerRef sendAfter(Duration delay, Pid pid, Object message) {
    long nanos = nanos(delay, "delay");
    Proc to = Objects.requireNonNull(pid, "pid").proc;
    Objects.requireNonNull(message, "message");
    if (to == null) {
      throw new IllegalArgumentException(pid + " is a system pid and receives nothing");
    }
    ensureAlive();
    return to.node.startTimer(nanos, to, null, message, false);
  }

  /**
   * Sends {@code message} after {@code delay} to whatever process is registered as {@code name}
   * when the timer fires; nothing happens if none is. Must be called from within a process.
   *
   * @param delay the delay
   * @param name the registered name, resolved when the timer fires
   * @param message the message
   * @return the timer
   */
  public static TimerRef sendAfter(Duration delay, String name, Object message) {
    long nanos = nanos(delay, "delay");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(message, "message");
    return acting().node.startTimer(nanos, null, name, message, false);
  }

  /**
   * Starts a timer that delivers {@link TimerFired}{@code (ref, message)} to {@code pid} after
   * {@code delay}, as OTP's {@code start_timer/3}. May be called from any thread; a process that
   * has exited can no longer start timers.
   *
   * @param delay the delay
   * @param pid the receiver
   * @param message the message to wrap
   * @return the timer
   * @throws IllegalArgumentException if {@code delay} is negative or {@code pid} is a system pid
   * @throws ProcessExitedException if the calling process has exited
   */
  public static TimerRef startTimer(Duration delay, Pid pid, Object message) {
    long nanos = nanos(delay, "delay");
    Proc to = Objects.requireNonNull(pid, "pid").proc;
    Objects.requireNonNull(message, "message");
    if (to == null) {
      throw new IllegalArgumentException(pid + " is a system pid and receives nothing");
    }
    ensureAlive();
    return to.node.startTimer(nanos, to, null, message, true);
  }

  /**
   * Cancels a timer, as OTP's {@code cancel_timer/1}. A message that has already been delivered
   * stays in the mailbox. May be called from any thread.
   *
   * @param timer the timer
   * @return the time that was left, or empty if the timer had already fired or been cancelled
   */
  public static Optional<Duration> cancelTimer(TimerRef timer) {
    Objects.requireNonNull(timer, "timer");
    Node node = timer.target != null ? timer.target.node : null;
    if (node == null) {
      if (!timer.done.compareAndSet(false, true)) {
        return Optional.empty();
      }
      var f = timer.future;
      if (f != null) {
        f.cancel(false);
      }
      return Optional.of(Duration.ofMillis(timer.remainingMillis()));
    }
    long left = node.cancelTimer(timer);
    return left < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(left));
  }

  /**
   * {@return the time left on a timer, or empty if it has fired or been cancelled} May be
   * called from any thread.
   *
   * @param timer the timer
   */
  public static Optional<Duration> readTimer(TimerRef timer) {
    Objects.requireNonNull(timer, "timer");
    return timer.done.get()
        ? Optional.empty()
        : Optional.of(Duration.ofMillis(timer.remainingMillis()));
  }

  // ------------------------------------------------------------------ process-owned resources

  /**
   * Registers {@code hook} to run when {@code pid} ends, before its exit signals and Down
   * messages go out. This is the public way to tie a resource to a process's life; the table
   * module hands a table to its heir this way. See {@link ExitHook} for when and where hooks run.
   * May be called from any thread.
   *
   * @param pid the process to watch
   * @param hook what to run
   * @return the registration, to cancel the hook; empty if {@code pid} is not alive (the hook
   *     was not registered and will never run)
   */
  public static Optional<ExitHook.Registration> onExit(Pid pid, ExitHook hook) {
    Objects.requireNonNull(hook, "hook");
    Proc p = Objects.requireNonNull(pid, "pid").proc;
    if (p == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(p.addHook(hook));
  }

  /**
   * Runs {@code action} on the calling thread, guaranteeing that the calling process is alive
   * when it starts and that the process's exit does not begin running its {@link ExitHook exit
   * hooks} until it has finished. A resource that checks "the caller is the owner" inside the
   * action therefore never lets a dying owner act after the resource has passed to an heir. On a
   * thread that is not a process, runs {@code action} directly.
   *
   * <p>The action must be short and must not block: whoever kills the process waits for it.
   *
   * @param action the action
   * @param <T> its result type
   * @return its result
   * @throws ProcessExitedException if the calling process has exited
   */
  public static <T> T whileAlive(Supplier<T> action) {
    Objects.requireNonNull(action, "action");
    Proc p = Current.get();
    return p == null ? action.get() : p.guarded(action);
  }
}
