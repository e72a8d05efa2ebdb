// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One coppice runtime: its processes, its name registry, its timers and the resources other
 * modules attach to it (named tables, for example). Nodes are independent worlds: pids, names and
 * tables of one node mean nothing in another, which gives each test a world of its own.
 *
 * <pre>{@code
 * try (Node node = Node.start()) {
 *   Pid echo = node.spawn(() -> {
 *     for (;;) {
 *       if (Processes.receive() instanceof Ping(Pid from)) Processes.send(from, new Pong());
 *     }
 *   });
 *   ...
 * } // close() ends every process and joins every thread the node started
 * }</pre>
 *
 * <h2>Concurrency</h2>
 *
 * All methods may be called from any thread. Processes of a node act on it through {@link
 * Processes}; code outside processes uses the methods here, or {@link #attach()} to become a
 * process itself. On the thread of a process that has exited (killed while it ran user code, or
 * ended by {@link #close()}), every method that acts or looks a process up throws {@link
 * ProcessExitedException} before anything else, as everything else in coppice does.
 *
 * <h2>System properties</h2>
 *
 * Read once, when the runtime's classes load; the defaults suit most machines.
 *
 * <ul>
 *   <li>{@code coppice.pidThreadNames} (default false): name each process thread after its pid,
 *       for thread dumps; costs about 60 bytes per process.
 *   <li>{@code coppice.receiveSpins}, {@code coppice.replySpins} (default 0): busy polls of an
 *       empty mailbox, or of a call's reply, before the waiting process parks. Worth trying only
 *       where cores sit idle: a spinning waiter holds the carrier the sender may be queued on.
 *   <li>{@code coppice.receiveYields}, {@code coppice.replyYields} (default 0): yields before the
 *       waiting process parks. A call round trip is about 10% faster with a few; a chain of
 *       processes that hand work on (a restart, then a first call) was slower with them in most
 *       runs measured on 2 cores.
 * </ul>
 *
 * @since 0.1
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  private static final AtomicLong NODES = new AtomicLong();

  /**
   * Whether each process thread is named after its pid ({@code coppice-42}) instead of all
   * sharing the name {@value #THREAD_NAME}. Off by default: a distinct name costs every process
   * about 60 bytes (a String and its bytes), 5% of an idle GenServer. Turn it on with {@code
   * -Dcoppice.pidThreadNames=true} to read pids in thread dumps while debugging.
   */
  private static final boolean PID_THREAD_NAMES = Boolean.getBoolean("coppice.pidThreadNames");

  /** The name of every process thread unless {@code coppice.pidThreadNames} is set. */
  static final String THREAD_NAME = "coppice-process";

  private static final java.util.concurrent.ThreadFactory THREADS =
      Thread.ofVirtual().name(THREAD_NAME).factory();

  private final long number = NODES.incrementAndGet();
  private final AtomicLong pids = new AtomicLong();
  private final AtomicLong refs = new AtomicLong();
  final ConcurrentHashMap<String, Proc> names = new ConcurrentHashMap<>();
  /** Every process of this node, from its creation until its thread ends or detaches. */
  final ProcSet procs = new ProcSet();
  private final ConcurrentHashMap<Class<?>, Object> resources = new ConcurrentHashMap<>();
  private final ReentrantLock timerLock = new ReentrantLock();
  private volatile ScheduledThreadPoolExecutor timerExecutor;
  private volatile boolean closed;
  private final Pid systemPid;

  private Node() {
    this.systemPid = new Pid(0, null);
    pids.set(0);
  }

  /**
   * Starts a new node. May be called from any thread.
   *
   * @return the node; close it to end its processes and threads
   */
  public static Node start() {
    return new Node();
  }

  long nextRef() {
    return refs.incrementAndGet();
  }

  /**
   * {@return the pid that stands for code outside any process of this node, such as the sender
   * of an exit signal sent with {@link #exit(Pid, ExitReason)}}; it prints as {@code <0.0>} and
   * is never alive
   */
  public Pid systemPid() {
    return systemPid;
  }

  // ------------------------------------------------------------------ spawning

  /**
   * A new process for a spawn: its virtual thread is created (not started) and registered as
   * that process's thread, which is how the node finds its live processes; {@link #startThread}
   * starts it.
   */
  Proc newProc() {
    Proc p = create();
    Thread t =
        PID_THREAD_NAMES
            ? Thread.ofVirtual().name("coppice-" + p.pid.id()).unstarted(p)
            : THREADS.newThread(p);
    register(p, t);
    return p;
  }

  /** A new process of this open node, not yet registered. */
  private Proc create() {
    if (closed) {
      throw closedForSpawn();
    }
    return new Proc(this, pids.incrementAndGet());
  }

  /**
   * Makes {@code t} the thread of {@code p}, then checks that the node is still open. close()
   * sets closed and then looks for processes; here we register and then look at closed: whatever
   * the interleaving, a process is either found by close or never runs.
   */
  private void register(Proc p, Thread t) {
    p.thread = t;
    if (p.isAttached()) {
      Current.attach(p);
    } else {
      Current.bind(t, p); // the thread knows its process from its first instruction
    }
    procs.add(p);
    if (closed) {
      abandon(p);
      throw closedForSpawn();
    }
  }

  /** A process created by {@link #newProc} that will never run, or a detached one: forgets it. */
  void abandon(Proc p) {
    procs.remove(p);
    if (p.isAttached()) {
      Current.detach(p);
    }
  }

  /**
   * A spawn refused because the node is closing. A process of this node that spawns is about to
   * be killed by close() anyway: it is ended now, quietly, rather than crashing on the refusal.
   */
  private RuntimeException closedForSpawn() {
    Proc me = Current.get();
    if (me != null && me.node == this && !me.isAttached()) {
      me.terminate(ExitReason.KILLED);
      return me.exited();
    }
    return new IllegalStateException("node " + number + " is closed: it starts no new processes");
  }

  void startThread(Proc p, Runnable body) {
    p.body = body;
    p.thread.start();
  }

  /**
   * Spawns a process that runs {@code body} on a virtual thread of its own. The process ends
   * normally when {@code body} returns, and with {@link ExitReason.Crash} (logged once) when it
   * throws. May be called from any thread.
   *
   * @param body what the process does
   * @return its pid
   * @throws IllegalStateException if the node is closed
   */
  public Pid spawn(Runnable body) {
    callerAlive();
    Objects.requireNonNull(body, "body");
    Proc p = newProc();
    startThread(p, body);
    return p.pid;
  }

  /**
   * Makes the calling thread a process of this node until the returned handle is closed, so that
   * code outside processes (a {@code main} method, a test) can receive messages, link and
   * monitor. Closing the handle ends the process with {@code normal} and detaches the thread.
   *
   * <p>If the attached process is killed or takes an exit signal, its thread is interrupted, like
   * any process thread; {@link AttachedProcess#close()} clears that interrupt. The other way
   * round, an interrupt of the attached thread while it is alive and waits in a receive, a call
   * or a start (a test runner's timeout, a shutdown of the caller's executor) ends that wait with
   * {@link WaitInterruptedException}, its interrupt status set again, where a spawned process
   * would wait on.
   *
   * @return the handle of the new process
   * @throws IllegalStateException if the calling thread is already a process, or the node is
   *     closed
   */
  public AttachedProcess attach() {
    if (Current.get() != null) {
      throw new IllegalStateException(
          "this thread is already the process " + Current.get().pid + "; attach once");
    }
    Proc p = create();
    p.markAttached();
    register(p, Thread.currentThread());
    return new AttachedProcess(p);
  }

  void threadEnded(Proc p) {
    procs.remove(p);
  }

  // ------------------------------------------------------------------ registry

  /**
   * Registers {@code pid} under {@code name}, as OTP's {@code register/2}. May be called from
   * any thread.
   *
   * @param name the name, unique within this node
   * @param pid a live process of this node that has no name yet
   * @throws IllegalArgumentException if the name is taken, the process already has a name, or
   *     the process is not alive
   */
  public void register(String name, Pid pid) {
    callerAlive();
    Objects.requireNonNull(name, "name");
    Proc p = local(pid);
    if (name.equals("undefined")) {
      throw new IllegalArgumentException(
          "'undefined' cannot be registered: OTP reserves it to mean 'no process'");
    }
    p.register(name);
  }

  /**
   * Removes the name {@code name}, as OTP's {@code unregister/1}. May be called from any thread.
   *
   * @param name a registered name
   * @throws IllegalArgumentException if no process is registered under {@code name}
   */
  public void unregister(String name) {
    callerAlive();
    Objects.requireNonNull(name, "name");
    Proc p = names.remove(name);
    if (p == null) {
      throw new IllegalArgumentException("no process is registered as '" + name + "'");
    }
    p.clearName(name);
  }

  /**
   * {@return the process registered under {@code name}, if any} May be called from any thread.
   *
   * @param name the name
   */
  public Optional<Pid> whereis(String name) {
    callerAlive();
    Objects.requireNonNull(name, "name");
    Proc p = names.get(name);
    return p == null ? Optional.empty() : Optional.of(p.pid);
  }

  /** {@return the registered names of this node, in no particular order} */
  public List<String> registered() {
    return List.copyOf(names.keySet());
  }

  /**
   * A process that has exited cannot act, whichever door it uses (see {@link
   * ProcessExitedException}): checked first by every method of this class that acts or looks a
   * process up, so that a killed process's thread running a retry loop stops instead of spinning.
   */
  private static void callerAlive() {
    Proc me = Current.get();
    if (me != null) {
      me.checkAlive();
    }
  }

  Proc resolve(String name) {
    return names.get(name);
  }

  Proc local(Pid pid) {
    Objects.requireNonNull(pid, "pid");
    Proc p = pid.proc;
    if (p == null || p.node != this) {
      throw new IllegalArgumentException(pid + " is not a process of this node");
    }
    return p;
  }

  // ------------------------------------------------------------------ signals from outside

  /**
   * Sends {@code message} to {@code pid}. Sending to a process that has ended does nothing, as
   * in OTP. May be called from any thread.
   *
   * @param pid the receiver
   * @param message the message
   */
  public void send(Pid pid, Object message) {
    Objects.requireNonNull(message, "message");
    Proc p = local(pid);
    Proc me = Current.get();
    if (me != null) {
      me.sendAs(p, message); // checks that the sender is alive, atomically with a kill
    } else {
      p.deliver(message);
    }
  }

  /**
   * Sends {@code message} to the process registered as {@code name}. May be called from any
   * thread.
   *
   * @param name a registered name
   * @param message the message
   * @throws IllegalArgumentException if no process is registered under {@code name} (OTP's
   *     badarg)
   */
  public void send(String name, Object message) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(message, "message");
    callerAlive();
    Proc p = names.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no process is registered as '" + name + "'");
    }
    Proc me = Current.get();
    if (me != null) {
      me.sendAs(p, message);
    } else {
      p.deliver(message);
    }
  }

  /**
   * Sends an exit signal to {@code pid} from outside any process (the sender is {@link
   * #systemPid()}). The rules are those of {@link Processes#exit(Pid, ExitReason)}. May be called
   * from any thread.
   *
   * @param pid the target
   * @param reason the reason
   */
  public void exit(Pid pid, ExitReason reason) {
    callerAlive();
    Objects.requireNonNull(reason, "reason");
    local(pid).exitSignal(systemPid, reason, false);
  }

  // ------------------------------------------------------------------ introspection

  /**
   * {@return the number of processes of this node that are alive} It walks the node's processes,
   * so it takes time in proportion to their number: meant for tests and introspection, not for
   * hot paths.
   */
  public int processCount() {
    return procs.list(Proc::isAlive).size();
  }

  /**
   * {@return the pids of the live processes of this node, in no particular order} Takes time in
   * proportion to the node's processes, as {@link #processCount()}.
   */
  public List<Pid> processes() {
    List<Proc> alive = procs.list(Proc::isAlive);
    List<Pid> out = new ArrayList<>(alive.size());
    for (Proc p : alive) {
      out.add(p.pid);
    }
    return out;
  }

  /** {@return the process threads this node started that have not ended yet} */
  public List<Thread> liveThreads() {
    // a thread that is registered but not started yet counts: a spawn racing with close starts
    // it a moment later, and close must wait for it
    List<Thread> out = new ArrayList<>();
    for (Proc p : procs.list(p -> !p.isAttached() && p.thread.getState() != Thread.State.TERMINATED)) {
      out.add(p.thread);
    }
    return out;
  }

  /**
   * Returns the resource of type {@code type} attached to this node, creating it with {@code
   * factory} the first time. Modules built on core keep their per-node state here (the table
   * module keeps its named tables). May be called from any thread.
   *
   * @param type the resource's class, used as its key
   * @param factory creates the resource; called at most once per node and type
   * @param <T> the resource type
   * @return the resource
   */
  public <T> T resource(Class<T> type, Function<Node, ? extends T> factory) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(factory, "factory");
    return type.cast(resources.computeIfAbsent(type, k -> factory.apply(this)));
  }

  // ------------------------------------------------------------------ timers

  ScheduledThreadPoolExecutor timers() {
    ScheduledThreadPoolExecutor ex = timerExecutor;
    if (ex != null) {
      return ex;
    }
    timerLock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("node " + number + " is closed: it starts no timers");
      }
      if (timerExecutor == null) {
        ScheduledThreadPoolExecutor e =
            new ScheduledThreadPoolExecutor(
                1,
                r -> {
                  Thread t = new Thread(r, "coppice-timers-" + number);
                  t.setDaemon(true);
                  return t;
                });
        e.setRemoveOnCancelPolicy(true);
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timerExecutor = e;
      }
      return timerExecutor;
    } finally {
      timerLock.unlock();
    }
  }

  TimerRef startTimer(long delayNanos, Proc target, String name, Object message, boolean wrap) {
    TimerRef ref = new TimerRef(refs.incrementAndGet(), System.nanoTime() + delayNanos, target);
    Object payload = wrap ? new TimerFired(ref, message) : message;
    if (target != null && !target.addTimer(ref)) {
      ref.done.set(true); // aimed at a dead process: nothing will ever arrive
      return ref;
    }
    ref.future =
        timers()
            .schedule(
                () -> {
                  if (ref.done.compareAndSet(false, true)) {
                    if (target != null) {
                      target.removeTimer(ref);
                      target.deliver(payload);
                    } else {
                      Proc p = names.get(name);
                      if (p != null) {
                        p.deliver(payload);
                      }
                    }
                  }
                },
                Math.max(0, delayNanos),
                TimeUnit.NANOSECONDS);
    if (ref.done.get()) {
      ref.future.cancel(false); // cancelled (its target died) before the future was set
    }
    return ref;
  }

  /** Returns the time left in ms, or -1 if the timer had fired or was cancelled. */
  long cancelTimer(TimerRef ref) {
    if (!ref.done.compareAndSet(false, true)) {
      return -1;
    }
    var f = ref.future;
    if (f != null) {
      f.cancel(false);
    }
    if (ref.target != null) {
      ref.target.removeTimer(ref);
    }
    return ref.remainingMillis();
  }

  // ------------------------------------------------------------------ shutdown

  /** {@return true once {@link #close()} has been called} */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Ends every process of this node at once (as if killed: exit hooks, links and monitors fire,
   * and nothing can trap it), stops its timers, and waits up to 10 seconds for every process
   * thread to end. A thread that is still running user code that ignores interruption after that
   * is logged at WARN and listed by {@link #liveThreads()}. Idempotent. May be called from any
   * thread that is not one of this node's processes.
   *
   * @throws IllegalStateException if called from a process of this node (it would wait for its
   *     own thread)
   */
  @Override
  public void close() {
    Proc me = Current.get();
    if (me != null && me.node == this && !me.isAttached()) {
      throw new IllegalStateException(
          "Node.close() called from its own process " + me.pid + ": close it from outside");
    }
    closed = true;
    // every process is marked dead before any exit sequence runs, so no process sees another
    // one's death (a call's server, a link) while it is still alive and reports it as a crash
    for (int round = 0; round < 3; round++) {
      List<Proc> alive = procs.list(Proc::isAlive);
      if (alive.isEmpty()) {
        break;
      }
      Proc.terminateAll(alive, ExitReason.KILLED);
    }
    timerLock.lock();
    try {
      if (timerExecutor != null) {
        timerExecutor.shutdownNow();
      }
    } finally {
      timerLock.unlock();
    }
    if (!awaitThreads(Duration.ofSeconds(10))) {
      log.atWarn()
          .addKeyValue("threads", liveThreads())
          .log("node {} closed, but some process threads ignore interruption and still run", number);
    }
    if (me != null && me.node == this) {
      abandon(me);
      Thread.interrupted(); // the attached caller was killed above; that interrupt is ours
    }
  }

  /**
   * Waits until every process thread this node started has ended.
   *
   * @param timeout how long to wait at most
   * @return true if all ended in time
   */
  public boolean awaitThreads(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean interrupted = false;
    try {
      // a thread may start another one before it ends (a spawn racing with close): look again
      // until a pass finds none left
      for (List<Thread> pass = liveThreads(); !pass.isEmpty(); pass = liveThreads()) {
        for (Thread t : pass) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return liveThreads().isEmpty();
          }
          try {
            if (t.getState() == Thread.State.NEW) {
              LockSupport.parkNanos(50_000); // registered, about to start: join would not wait
            } else {
              t.join(Duration.ofNanos(left));
            }
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      timerLock.lock();
      try {
        if (timerExecutor != null && closed) {
          timerExecutor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
      } catch (InterruptedException e) {
        interrupted = true;
      } finally {
        timerLock.unlock();
      }
      return liveThreads().isEmpty();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "Node[" + number + (closed ? ", closed]" : "]");
  }
}
