// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.unpadded.MpscLinkedAtomicUnpaddedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * INTERNAL: one process, its mailbox and its exit sequence.
 *
 * <p>Thread roles: the mailbox is a JCTools MPSC queue; {@link #deliver} may be called from any
 * thread, the receive methods only from the process's own thread (the single consumer). Links,
 * monitors, hooks, timers and the name are guarded by a tiny spin lock ({@link #lock}) that is
 * never held across anything that can block.
 *
 * <p>Exit sequence ({@link #terminate}), run exactly once by whichever thread wins: mark dead and
 * snapshot the links, monitors and hooks (under the lock); release the name; wait for a guarded
 * action of the victim's thread (a send, or {@link Processes#whileAlive}) to finish; run exit
 * hooks in order, outside any process; send exit signals to linked processes, then Down messages
 * to monitors; cancel timers; interrupt the victim's thread. Exits caused by link signals are
 * queued on the exiting thread instead of recursing, so long link chains cannot overflow the
 * stack.
 *
 * <p>A link signal is decided under the receiver's lock ({@link #linkSignal}), where {@link
 * #unlink} also works, so once unlink returns the link can no longer affect the caller.
 */
final class Proc implements Runnable, Thread.UncaughtExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger("dev.coppice.core.Process");
  private static final ThreadLocal<ArrayDeque<Snapshot>> EXITING = new ThreadLocal<>();
  /**
   * Busy polls of an empty mailbox before a receiver yields or parks. Off by default: on a
   * machine with as few cores as ours, a spin holds the carrier that the sender it waits for is
   * queued on. Worth trying on many idle cores.
   */
  static final int SPINS = Integer.getInteger("coppice.receiveSpins", 0);
  /**
   * Yields of a virtual thread after the spin and before it parks. Off by default. A yield helps
   * when the one process this receiver waits for is queued on the same carrier, but it puts the
   * receiver back in its carrier's queue in front of whatever else is runnable, and in a chain of
   * processes handing work on (a supervisor restarting a child that a client then calls) several
   * of them yield at once and take turns with the work. Measured on 2 cores with a pre-touched
   * heap, call then cast then restart in one fresh JVM, 3 JVMs each: with 3 receive and 16 reply
   * yields, restart to first call 3.2-9.2 us (p99 5-16 us) and call round trip 0.46-1.85 us;
   * parking at once, 3.2-10.6 us (p99 4-15 us) and 0.66-2.3 us. No clear gain, so off.
   */
  static final int YIELDS = Integer.getInteger("coppice.receiveYields", 0);
  /** Whether an slf4j MDC is in use; with none, tagging each process thread costs for nothing. */
  private static final boolean MDC_ACTIVE =
      !(MDC.getMDCAdapter() instanceof org.slf4j.helpers.NOPMDCAdapter);

  private static final VarHandle LOCK;
  private static final VarHandle PARKED;
  private static final VarHandle ACTING;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      LOCK = l.findVarHandle(Proc.class, "lockWord", int.class);
      PARKED = l.findVarHandle(Proc.class, "parked", int.class);
      ACTING = l.findVarHandle(Proc.class, "acting", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Node node;
  final Pid pid;
  volatile Thread thread;
  private final MpscLinkedAtomicUnpaddedQueue<Object> mailbox =
      new MpscLinkedAtomicUnpaddedQueue<>(); // padding would cost ~380 bytes per process
  private ArrayDeque<Object> saved; // consumer only: messages skipped by a selective receive
  private volatile boolean alive = true;
  private volatile ExitReason exitReason;
  volatile boolean trapExits;
  private volatile int parked;
  private volatile int acting;
  private volatile int lockWord;
  private volatile boolean exitDone; // the exit sequence has run to its end
  private byte flags; // ATTACHED (set once, before the process is published) and WARM
  private static final byte ATTACHED = 1;
  private static final byte WARM = 2; // consumer only: the process has received a message
  // the node's set of processes (ProcSet), guarded by its stripe's lock
  Proc setPrev;
  Proc setNext;
  // guarded by lock
  private HashSet<Proc> links;
  private ArrayList<MonitorRef> monitoredBy;
  private ArrayList<MonitorRef> monitoring;
  private Object hooks; // null, one HookRegistration, or an ArrayList of them: most have 0 or 1
  private ArrayList<TimerRef> timers;
  private String name;
  Deadlines.Slot deadlineSlot; // owner thread only: its timed waits' registration with the timer

  Proc(Node node, long id) {
    this.node = node;
    this.pid = new Pid(id, this);
  }

  boolean isAlive() {
    return alive;
  }

  ExitReason exitReason() {
    return exitReason;
  }

  boolean isAttached() {
    return (flags & ATTACHED) != 0;
  }

  void markAttached() {
    flags |= ATTACHED;
  }

  // ------------------------------------------------------------------ lock

  private void lock() {
    if (!LOCK.compareAndSet(this, 0, 1)) {
      lockSlow();
    }
  }

  private void lockSlow() {
    int spins = 0;
    while (!(lockWord == 0 && LOCK.compareAndSet(this, 0, 1))) {
      if (++spins < 64) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  private void unlock() {
    LOCK.setRelease(this, 0);
  }

  // ------------------------------------------------------------------ process body

  /** What the process does; set before its thread starts. */
  Runnable body;

  @Override
  public void run() {
    Runnable body = this.body;
    this.body = null;
    if (MDC_ACTIVE) {
      MDC.put("pid", pid.toString());
    }
    ExitReason reason = ExitReason.NORMAL;
    try {
      if (!alive) {
        reason = null; // ended (node closed, parent died) before its thread started
      } else {
        body.run();
      }
    } catch (Throwable t) { // the process boundary: anything uncaught ends the process
      if (!alive) {
        reason = null; // killed or exited already; this is the thread unwinding
      } else {
        reason = new ExitReason.Crash(t);
        log.atError()
            .setCause(t)
            .addKeyValue("pid", pid)
            .addKeyValue("name", name)
            .addKeyValue("reason", reason)
            .log("process {} crashed: {}", pid, t.toString());
      }
    } finally {
      if (reason != null) {
        terminate(reason);
      }
      clearMailbox();
      if (MDC_ACTIVE) {
        MDC.remove("pid");
      }
      node.threadEnded(this);
    }
  }

  void clearMailbox() {
    saved = null;
    mailbox.clear();
  }

  // ------------------------------------------------------------------ mailbox

  /** Any thread. Drops the message if the process is dead. */
  void deliver(Object message) {
    if (!alive) {
      return;
    }
    mailbox.offer(message);
    if (parked != 0 && PARKED.compareAndSet(this, 1, 0)) {
      LockSupport.unpark(thread);
    }
  }

  ProcessExitedException exited() {
    return new ProcessExitedException(pid, exitReason);
  }

  void checkAlive() {
    if (!alive) {
      throw exited();
    }
  }

  /** Consumer only. Returns the oldest message, or null after {@code nanos} (negative: forever). */
  Object receive(long nanos) {
    return await(null, null, nanos);
  }

  /** Consumer only. Selective receive: the first message of {@code type} matching {@code p}. */
  <T> T receive(Class<T> type, Predicate<? super T> p, long nanos) {
    checkAlive();
    ArrayDeque<Object> s = saved;
    if (s != null) {
      for (Iterator<Object> it = s.iterator(); it.hasNext(); ) {
        Object m = it.next();
        if (matches(type, p, m)) {
          it.remove();
          return type.cast(m);
        }
      }
    }
    Object m = await(type, p, nanos);
    return m == null ? null : type.cast(m);
  }

  private static <T> boolean matches(Class<T> type, Predicate<? super T> p, Object m) {
    return type == null || (type.isInstance(m) && (p == null || p.test(type.cast(m))));
  }

  /**
   * The one wait loop of a process: returns the oldest message (type null) or the first queued
   * one that matches, or null after {@code nanos} (negative: forever). A plain receive parks in
   * here with no frame of ours between it and its caller's, which keeps an idle process's stack,
   * and so its memory, small.
   */
  private <T> Object await(Class<T> type, Predicate<? super T> p, long nanos) {
    checkAlive();
    if (type == null) {
      ArrayDeque<Object> s = saved;
      if (s != null && !s.isEmpty()) {
        return s.pollFirst();
      }
      Object m = mailbox.relaxedPoll();
      if (m != null) {
        flags |= WARM;
        return m;
      }
    }
    final long deadline = nanos > 0 ? System.nanoTime() + nanos : 0L;
    int spins = nanos == 0 ? 0 : SPINS;
    // After the spin, a virtual thread yields a few times before it parks: the sender it waits
    // for is often queued on this very carrier, and a yield lets it run (measured under load:
    // a call fell from ~20 us to under 1 us), where a park costs a full wake-up later.
    // A process that has never received a message parks at once: nothing is on its way yet, and
    // a yield would freeze its stack into a chunk that the park then outgrows (a second chunk
    // per idle process, and a third of the cost of a spawn).
    int yields = nanos == 0 || (flags & WARM) == 0 || !Thread.currentThread().isVirtual() ? 0 : YIELDS;
    boolean interrupted = false;
    boolean timedPark = false;
    try {
      for (; ; ) {
        Object m = mailbox.poll();
        if (m != null) {
          flags |= WARM;
          if (matches(type, p, m)) {
            return m;
          }
          saved().addLast(m);
          continue;
        }
        if (nanos == 0) {
          return null;
        }
        if (spins > 0) {
          spins--;
          Thread.onSpinWait();
          continue;
        }
        if (yields > 0) {
          yields--;
          Thread.yield();
          if (!alive) {
            throw exited(); // killed while it yielded: nothing will come
          }
          continue;
        }
        parked = 1;
        m = mailbox.poll(); // Dekker with deliver(): we published parked, then look once more
        if (m != null) {
          parked = 0;
          flags |= WARM;
          if (matches(type, p, m)) {
            return m;
          }
          saved().addLast(m);
          continue;
        }
        if (nanos < 0) {
          LockSupport.park(this);
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            parked = 0;
            return null;
          }
          timedPark = true;
          Deadlines.parkUntil(this, this, deadline);
        }
        parked = 0;
        if (Thread.interrupted()) {
          interrupted = true;
          if (alive && (flags & ATTACHED) != 0) {
            // an attached thread is the caller's own (a main method, a test under a timeout):
            // its interrupt asks it to stop waiting; the finally block restores the status
            throw new WaitInterruptedException("a message to the attached process " + pid);
          }
        }
        if (!alive) {
          throw exited();
        }
      }
    } finally {
      if (timedPark) {
        Deadlines.waitEnded(this);
      }
      if (interrupted && alive) {
        Thread.currentThread().interrupt(); // not ours: restore it
      }
    }
  }

  private ArrayDeque<Object> saved() {
    ArrayDeque<Object> s = saved;
    if (s == null) {
      s = saved = new ArrayDeque<>();
    }
    return s;
  }

  /** Consumer only: moves everything queued into the saved list, in order. */
  private void drainToSaved() {
    Object m;
    while ((m = mailbox.poll()) != null) {
      saved().addLast(m);
    }
  }

  /** Consumer only: removes a queued Down for {@code ref}. */
  void flushDown(MonitorRef ref) {
    drainToSaved();
    ArrayDeque<Object> s = saved;
    if (s != null) {
      s.removeIf(m -> m instanceof Down d && d.ref() == ref);
    }
  }

  /** Consumer only: the messages waiting, oldest first (for tests and introspection). */
  List<Object> peekMailbox() {
    drainToSaved();
    return saved == null ? List.of() : List.copyOf(saved);
  }

  // ------------------------------------------------------------------ guarded actions

  /**
   * Owner thread only: starts an action that this process's exit must wait for, after checking
   * that the process is alive. Returns the previous nesting depth, for {@link #endAct}.
   */
  private int beginAct() {
    int a = acting;
    acting = a + 1; // volatile write, then volatile read of alive: Dekker with finishExit()
    if (!alive) {
      ACTING.setRelease(this, a);
      throw exited();
    }
    return a;
  }

  private void endAct(int depth) {
    ACTING.setRelease(this, depth);
  }

  <T> T guarded(Supplier<T> action) {
    int a = beginAct();
    try {
      return action.get();
    } finally {
      endAct(a);
    }
  }

  /**
   * Owner thread only: sends {@code message} to {@code to} (null: nowhere) as this process. The
   * send is a guarded action, so a kill that races with it either stops it (the process is dead:
   * it throws) or waits until the message is queued before the victim's exit signals and Down
   * messages go out: nothing this process sent can arrive after its Exit or Down.
   */
  void sendAs(Proc to, Object message) {
    int a = beginAct();
    try {
      if (to != null) {
        to.deliver(message);
      }
    } finally {
      endAct(a);
    }
  }

  // ------------------------------------------------------------------ registry

  void register(String newName) {
    lock();
    try {
      if (!alive) {
        throw new IllegalArgumentException(
            "cannot register " + pid + " as '" + newName + "': the process is not alive");
      }
      if (name != null) {
        throw new IllegalArgumentException(
            "cannot register "
                + pid
                + " as '"
                + newName
                + "': it is already registered as '"
                + name
                + "'; unregister that name first");
      }
      Proc prev = node.names.putIfAbsent(newName, this);
      if (prev != null) {
        throw new IllegalArgumentException(
            "the name '" + newName + "' is already registered to " + prev.pid);
      }
      name = newName;
    } finally {
      unlock();
    }
  }

  void clearName(String oldName) {
    lock();
    try {
      if (oldName.equals(name)) {
        name = null;
      }
    } finally {
      unlock();
    }
  }

  String registeredName() {
    return name;
  }

  // ------------------------------------------------------------------ links

  private void lockPair(Proc other) {
    if (pid.id() < other.pid.id()) {
      lock();
      other.lock();
    } else {
      other.lock();
      lock();
    }
  }

  private void unlockPair(Proc other) {
    other.unlock();
    unlock();
  }

  /**
   * Links this (the calling process) with {@code other}. If this process has just been killed
   * (after the caller checked it was alive), {@code other} gets the exit signal the link would
   * have carried, and the caller's next check throws.
   */
  void link(Proc other) {
    if (other == this) {
      return;
    }
    boolean otherDead;
    boolean selfDead;
    lockPair(other);
    try {
      otherDead = !other.alive;
      selfDead = !alive;
      if (!otherDead && !selfDead) {
        if (links == null) {
          links = new HashSet<>(4);
        }
        if (other.links == null) {
          other.links = new HashSet<>(4);
        }
        links.add(other);
        other.links.add(this);
      }
    } finally {
      unlockPair(other);
    }
    if (selfDead) {
      if (!otherDead) {
        other.exitSignal(pid, exitReason, true);
      }
    } else if (otherDead) {
      exitSignal(other.pid, ExitReason.NOPROC, true);
    }
  }

  void unlink(Proc other) {
    if (other == this) {
      return;
    }
    lockPair(other);
    try {
      if (links != null) {
        links.remove(other);
      }
      if (other.links != null) {
        other.links.remove(this);
      }
    } finally {
      unlockPair(other);
    }
  }

  boolean isLinkedTo(Proc other) {
    lock();
    try {
      return links != null && links.contains(other);
    } finally {
      unlock();
    }
  }

  /**
   * The link with {@code from}, which is exiting, fires. Decided under this process's lock, as
   * {@link #unlink} is: if the link was removed first, nothing happens; otherwise a trapping
   * process gets the Exit message, and a non-trapping one dies of any reason but normal, before
   * the lock is released. So once unlink has returned, the link can no longer affect the caller.
   */
  private void linkSignal(Proc from, ExitReason reason) {
    Snapshot exit;
    lock();
    try {
      if (links == null || !links.remove(from)) {
        return; // unlinked before the signal, or this process is dead already
      }
      if (trapExits) {
        deliver(new Exit(from.pid, reason)); // lock-free; under our lock for unlink's sake
        return;
      }
      if (reason instanceof ExitReason.Normal) {
        return;
      }
      exit = markDead(reason);
    } finally {
      unlock();
    }
    if (exit != null) {
      runExit(exit);
    }
  }

  /**
   * An exit signal arrives. {@code viaLink} is true for a link firing (then {@code kill} is an
   * ordinary reason), false for {@code exit(pid, reason)}.
   */
  void exitSignal(Pid from, ExitReason reason, boolean viaLink) {
    exitSignal(null, from, reason, viaLink);
  }

  /**
   * {@code exit(pid, reason)} sent by the live process {@code sender}: as {@link
   * #exitSignal(Pid, ExitReason, boolean)}, but an Exit message for a trapping target is queued
   * as a send of {@code sender}'s, so it cannot arrive after the sender's own Exit or Down.
   */
  void exitSignalFrom(Proc sender, ExitReason reason) {
    exitSignal(sender, sender.pid, reason, false);
  }

  private void exitSignal(Proc sender, Pid from, ExitReason reason, boolean viaLink) {
    if (!alive) {
      return;
    }
    if (!viaLink && reason instanceof ExitReason.Kill) {
      terminate(ExitReason.KILLED);
      return;
    }
    if (trapExits) {
      Exit exit = new Exit(from, reason);
      if (sender != null) {
        sender.sendAs(this, exit);
      } else {
        deliver(exit);
      }
      return;
    }
    if (reason instanceof ExitReason.Normal) {
      if (!viaLink && from == pid) {
        terminate(ExitReason.NORMAL); // exit(self(), normal) kills a non-trapping caller
      }
      return;
    }
    terminate(reason);
  }

  // ------------------------------------------------------------------ monitors

  /** This (the watcher) monitors {@code target}. */
  MonitorRef monitor(Proc target, String byName) {
    MonitorRef ref = new MonitorRef(node.nextRef(), this, target, byName);
    boolean added = false;
    target.lock();
    try {
      if (target.alive) {
        if (target.monitoredBy == null) {
          target.monitoredBy = new ArrayList<>(2);
        }
        target.monitoredBy.add(ref);
        added = true;
      }
    } finally {
      target.unlock();
    }
    if (!added) {
      fireDown(ref, target.pid, ExitReason.NOPROC);
      return ref;
    }
    boolean watcherDead;
    lock();
    try {
      watcherDead = !alive;
      if (!watcherDead) {
        if (monitoring == null) {
          monitoring = new ArrayList<>(2);
        }
        monitoring.add(ref);
      }
    } finally {
      unlock();
    }
    if (watcherDead) { // killed since the caller checked: undo, so the target keeps no garbage
      ref.cancel();
      target.removeMonitoredBy(ref);
      throw exited();
    }
    return ref;
  }

  private void removeMonitoredBy(MonitorRef ref) {
    lock();
    try {
      if (monitoredBy != null) {
        monitoredBy.remove(ref);
      }
    } finally {
      unlock();
    }
  }

  /** A monitor on a name with no process: fires at once. */
  MonitorRef monitorUnresolved(String byName) {
    MonitorRef ref = new MonitorRef(node.nextRef(), this, null, byName);
    fireDown(ref, null, ExitReason.NOPROC);
    return ref;
  }

  private static void fireDown(MonitorRef ref, Pid pid, ExitReason reason) {
    if (ref.beginFire()) {
      try {
        ref.watcher.deliver(new Down(ref, pid, reason));
      } finally {
        ref.endFire();
      }
    }
  }

  boolean demonitor(MonitorRef ref, boolean flush) {
    boolean removed = ref.cancel();
    Proc target = ref.target;
    if (target != null) {
      target.removeMonitoredBy(ref);
    }
    removeMonitoring(ref);
    if (flush) {
      flushDown(ref);
    }
    return removed;
  }

  private void removeMonitoring(MonitorRef ref) {
    lock();
    try {
      if (monitoring != null) {
        monitoring.remove(ref);
      }
    } finally {
      unlock();
    }
  }

  // ------------------------------------------------------------------ hooks and timers

  HookRegistration addHook(ExitHook hook) {
    HookRegistration reg = new HookRegistration(this, hook);
    lock();
    try {
      if (!alive) {
        return null;
      }
      if (hooks == null) {
        hooks = reg;
      } else if (hooks instanceof HookRegistration one) {
        ArrayList<HookRegistration> list = new ArrayList<>(4);
        list.add(one);
        list.add(reg);
        hooks = list;
      } else {
        @SuppressWarnings("unchecked")
        ArrayList<HookRegistration> list = (ArrayList<HookRegistration>) hooks;
        list.add(reg);
      }
    } finally {
      unlock();
    }
    return reg;
  }

  void removeHook(HookRegistration reg) {
    lock();
    try {
      if (hooks == reg) {
        hooks = null;
      } else if (hooks instanceof ArrayList<?> list) {
        // most removals are of the newest hook (a call that just got its reply)
        for (int i = list.size() - 1; i >= 0; i--) {
          if (list.get(i) == reg) {
            list.remove(i);
            break;
          }
        }
        if (list.isEmpty()) {
          hooks = null;
        }
      }
    } finally {
      unlock();
    }
  }

  boolean addTimer(TimerRef t) {
    lock();
    try {
      if (!alive) {
        return false;
      }
      if (timers == null) {
        timers = new ArrayList<>(2);
      }
      timers.add(t);
      return true;
    } finally {
      unlock();
    }
  }

  void removeTimer(TimerRef t) {
    lock();
    try {
      if (timers != null) {
        timers.remove(t);
      }
    } finally {
      unlock();
    }
  }

  // ------------------------------------------------------------------ exit

  private record Snapshot(
      Proc proc,
      ExitReason reason,
      String name,
      HashSet<Proc> links,
      ArrayList<MonitorRef> monitoredBy,
      ArrayList<MonitorRef> monitoring,
      Object hooks,
      ArrayList<TimerRef> timers) {}

  /**
   * Ends this process with {@code reason} unless it has already ended. Returns when the exit
   * sequence (and that of every process it takes down through links) has run, unless called
   * from within another exit on this thread, where it is queued.
   */
  boolean terminate(ExitReason reason) {
    Snapshot exit;
    lock();
    try {
      exit = markDead(reason);
    } finally {
      unlock();
    }
    if (exit != null) {
      runExit(exit);
    }
    return exit != null;
  }

  /**
   * Ends every process of {@code procs} with {@code reason} as one step: all are marked dead
   * before any exit sequence runs, so none of them sees another's death while still alive.
   */
  static void terminateAll(Iterable<Proc> procs, ExitReason reason) {
    ArrayDeque<Snapshot> queue = EXITING.get();
    boolean owner = queue == null;
    if (owner) {
      queue = new ArrayDeque<>();
      EXITING.set(queue);
    }
    try {
      for (Proc p : procs) {
        p.terminate(reason); // queued: EXITING is set
      }
      if (owner) {
        drain(queue);
      }
    } finally {
      if (owner) {
        EXITING.remove();
      }
    }
  }

  /** Under the lock: marks the process dead and takes its exit work; null if already dead. */
  private Snapshot markDead(ExitReason reason) {
    if (!alive) {
      return null;
    }
    exitReason = reason;
    alive = false;
    Snapshot exit = new Snapshot(this, reason, name, links, monitoredBy, monitoring, hooks, timers);
    links = null;
    monitoredBy = null;
    monitoring = null;
    hooks = null;
    timers = null;
    name = null;
    return exit;
  }

  /** Runs (or, inside another exit on this thread, queues) the exit marked by markDead. */
  private void runExit(Snapshot exit) {
    String oldName = exit.name();
    if (oldName != null) {
      node.names.remove(oldName, this);
    }
    ArrayDeque<Snapshot> queue = EXITING.get();
    if (queue != null) {
      queue.addLast(exit);
      return;
    }
    queue = new ArrayDeque<>();
    EXITING.set(queue);
    try {
      finishExit(exit);
      drain(queue);
    } finally {
      EXITING.remove();
    }
  }

  private static void drain(ArrayDeque<Snapshot> queue) {
    Snapshot next;
    while ((next = queue.pollFirst()) != null) {
      next.proc().finishExit(next);
    }
  }

  private void finishExit(Snapshot s) {
    Thread self = Thread.currentThread();
    Thread t = thread;
    if (t != self) {
      int spins = 0;
      while (acting != 0) { // the victim is inside a guarded action: let it finish
        if (++spins < 128) {
          Thread.onSpinWait();
        } else {
          Thread.yield();
        }
      }
    }
    ExitReason reason = s.reason();
    if (s.hooks() != null) {
      runHooks(s.hooks(), reason);
    }
    if (s.links() != null) {
      for (Proc other : s.links()) {
        other.linkSignal(this, reason);
      }
    }
    if (s.monitoredBy() != null) {
      for (MonitorRef ref : s.monitoredBy()) {
        fireDown(ref, pid, reason);
        ref.watcher.removeMonitoring(ref);
      }
    }
    if (s.monitoring() != null) {
      for (MonitorRef ref : s.monitoring()) {
        ref.cancel();
        Proc target = ref.target;
        if (target != null) {
          target.removeMonitoredBy(ref);
        }
      }
    }
    if (s.timers() != null) {
      for (TimerRef timer : s.timers()) {
        node.cancelTimer(timer);
      }
    }
    if (t != null && t != self) {
      t.interrupt();
    }
    exitDone = true;
  }

  /**
   * Runs the exit hooks outside any process: on the dying process's own thread it is dead and
   * could not send, and on a killer's thread the hook must not act as the killer.
   */
  @SuppressWarnings("unchecked")
  private void runHooks(Object held, ExitReason reason) {
    List<HookRegistration> hooks =
        held instanceof HookRegistration one ? List.of(one) : (List<HookRegistration>) held;
    Proc current = Current.suspend();
    try {
      for (HookRegistration h : hooks) {
        if (h.claim()) {
          try {
            h.hook.onExit(pid, reason);
          } catch (RuntimeException e) {
            log.atError()
                .setCause(e)
                .addKeyValue("pid", pid)
                .log("exit hook of {} failed; the exit goes on", pid);
          }
        }
      }
    } finally {
      Current.resume(current);
    }
  }

  /**
   * Waits until the exit sequence of this (dead) process has run to its end, so that the
   * interrupt it sends to the process's thread has been sent. Returns at once if that exit is
   * queued behind the calling thread's own exit work.
   */
  void awaitExitDone() {
    if (EXITING.get() != null) {
      return;
    }
    while (!exitDone) {
      Thread.yield();
    }
  }

  /**
   * The thread's uncaught-exception handler (see {@link Current}, which is why a process is one):
   * {@link #run} catches everything at the process boundary, so only a failure of the runtime's
   * own exit work can get here.
   */
  @Override
  public void uncaughtException(Thread t, Throwable e) {
    log.atError()
        .setCause(e)
        .addKeyValue("pid", pid)
        .log("process {}: uncaught failure after its exit", pid);
  }

  @Override
  public String toString() {
    return pid.toString();
  }
}
