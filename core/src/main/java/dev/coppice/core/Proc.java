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
import org.jctools.queues.atomic.MpscLinkedAtomicQueue;
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
 * action of the victim's thread to finish; run exit hooks in order; send exit signals to linked
 * processes, then Down messages to monitors; cancel timers; interrupt the victim's thread.
 * Exits caused by link signals are queued on the exiting thread instead of recursing, so long
 * link chains cannot overflow the stack.
 */
final class Proc {
  private static final Logger log = LoggerFactory.getLogger("dev.coppice.core.Process");
  static final ThreadLocal<Proc> CURRENT = new ThreadLocal<>();
  private static final ThreadLocal<ArrayDeque<Proc>> EXITING = new ThreadLocal<>();
  /** Polls of an empty mailbox before a receiver parks; a short spin saves a park/unpark. */
  static final int SPINS = Integer.getInteger("coppice.receiveSpins", 100);

  private static final VarHandle LOCK;
  private static final VarHandle PARKED;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      LOCK = l.findVarHandle(Proc.class, "lockWord", int.class);
      PARKED = l.findVarHandle(Proc.class, "parked", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Node node;
  final Pid pid;
  volatile Thread thread;
  private final MpscLinkedAtomicQueue<Object> mailbox = new MpscLinkedAtomicQueue<>();
  private ArrayDeque<Object> saved; // consumer only: messages skipped by a selective receive
  private volatile boolean alive = true;
  private volatile ExitReason exitReason;
  volatile boolean trapExits;
  private volatile int parked;
  private volatile int acting;
  private volatile int lockWord;
  private boolean attached;
  // guarded by lock
  private HashSet<Proc> links;
  private ArrayList<MonitorRef> monitoredBy;
  private ArrayList<MonitorRef> monitoring;
  private ArrayList<HookRegistration> hooks;
  private ArrayList<TimerRef> timers;
  private String name;
  // exit work, handed from terminate to finishExit
  private Snapshot pendingExit;

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
    return attached;
  }

  void markAttached() {
    attached = true;
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

  void run(Runnable body) {
    CURRENT.set(this);
    MDC.put("pid", pid.toString());
    ExitReason reason = ExitReason.NORMAL;
    try {
      body.run();
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
      MDC.remove("pid");
      CURRENT.remove();
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
    checkAlive();
    ArrayDeque<Object> s = saved;
    if (s != null && !s.isEmpty()) {
      return s.pollFirst();
    }
    Object m = mailbox.relaxedPoll();
    if (m != null) {
      return m;
    }
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

  private <T> Object await(Class<T> type, Predicate<? super T> p, long nanos) {
    final long deadline = nanos > 0 ? System.nanoTime() + nanos : 0L;
    int spins = nanos == 0 ? 0 : SPINS;
    boolean interrupted = false;
    try {
      for (; ; ) {
        Object m = mailbox.poll();
        if (m != null) {
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
        parked = 1;
        m = mailbox.poll(); // Dekker with deliver(): we published parked, then look once more
        if (m != null) {
          parked = 0;
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
          LockSupport.parkNanos(this, left);
        }
        parked = 0;
        if (Thread.interrupted()) {
          interrupted = true;
        }
        if (!alive) {
          throw exited();
        }
      }
    } finally {
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

  <T> T guarded(Supplier<T> action) {
    int a = acting;
    acting = a + 1; // volatile write, then volatile read of alive: pairs with terminate()
    try {
      if (!alive) {
        throw exited();
      }
      return action.get();
    } finally {
      acting = a;
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

  /** Links this (the calling, live process) with {@code other}. */
  void link(Proc other) {
    if (other == this) {
      return;
    }
    boolean dead;
    lockPair(other);
    try {
      dead = !other.alive;
      if (!dead && alive) {
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
    if (dead) {
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

  private void removeLink(Proc other) {
    lock();
    try {
      if (links != null) {
        links.remove(other);
      }
    } finally {
      unlock();
    }
  }

  /**
   * An exit signal arrives. {@code viaLink} is true for a link firing (then {@code kill} is an
   * ordinary reason), false for {@code exit(pid, reason)}.
   */
  void exitSignal(Pid from, ExitReason reason, boolean viaLink) {
    if (!alive) {
      return;
    }
    if (!viaLink && reason instanceof ExitReason.Kill) {
      terminate(ExitReason.KILLED);
      return;
    }
    if (trapExits) {
      deliver(new Exit(from, reason));
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
    lock();
    try {
      if (monitoring == null) {
        monitoring = new ArrayList<>(2);
      }
      monitoring.add(ref);
    } finally {
      unlock();
    }
    return ref;
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
      target.lock();
      try {
        if (target.monitoredBy != null) {
          target.monitoredBy.remove(ref);
        }
      } finally {
        target.unlock();
      }
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
        hooks = new ArrayList<>(2);
      }
      hooks.add(reg);
    } finally {
      unlock();
    }
    return reg;
  }

  void removeHook(HookRegistration reg) {
    lock();
    try {
      if (hooks != null) {
        // most removals are of the newest hook (a call that just got its reply)
        for (int i = hooks.size() - 1; i >= 0; i--) {
          if (hooks.get(i) == reg) {
            hooks.remove(i);
            break;
          }
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
      ExitReason reason,
      HashSet<Proc> links,
      ArrayList<MonitorRef> monitoredBy,
      ArrayList<MonitorRef> monitoring,
      ArrayList<HookRegistration> hooks,
      ArrayList<TimerRef> timers) {}

  /**
   * Ends this process with {@code reason} unless it has already ended. Returns when the exit
   * sequence (and that of every process it takes down through links) has run, unless called
   * from within another exit on this thread, where it is queued.
   */
  boolean terminate(ExitReason reason) {
    String oldName;
    lock();
    try {
      if (!alive) {
        return false;
      }
      exitReason = reason;
      alive = false;
      pendingExit = new Snapshot(reason, links, monitoredBy, monitoring, hooks, timers);
      links = null;
      monitoredBy = null;
      monitoring = null;
      hooks = null;
      timers = null;
      oldName = name;
      name = null;
    } finally {
      unlock();
    }
    if (oldName != null) {
      node.names.remove(oldName, this);
    }
    ArrayDeque<Proc> queue = EXITING.get();
    if (queue != null) {
      queue.addLast(this);
      return true;
    }
    queue = new ArrayDeque<>();
    EXITING.set(queue);
    try {
      Proc next = this;
      do {
        next.finishExit();
      } while ((next = queue.pollFirst()) != null);
    } finally {
      EXITING.remove();
    }
    return true;
  }

  private void finishExit() {
    Snapshot s = pendingExit;
    pendingExit = null;
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
    ExitReason reason = s.reason;
    if (s.hooks != null) {
      for (HookRegistration h : s.hooks) {
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
    }
    if (s.links != null) {
      for (Proc other : s.links) {
        other.removeLink(this);
        other.exitSignal(pid, reason, true);
      }
    }
    if (s.monitoredBy != null) {
      for (MonitorRef ref : s.monitoredBy) {
        fireDown(ref, pid, reason);
        ref.watcher.removeMonitoring(ref);
      }
    }
    if (s.monitoring != null) {
      for (MonitorRef ref : s.monitoring) {
        ref.cancel();
        Proc target = ref.target;
        if (target != null) {
          target.lock();
          try {
            if (target.monitoredBy != null) {
              target.monitoredBy.remove(ref);
            }
          } finally {
            target.unlock();
          }
        }
      }
    }
    if (s.timers != null) {
      for (TimerRef timer : s.timers) {
        node.cancelTimer(timer);
      }
    }
    node.processExited(this);
    if (t != null && t != self) {
      t.interrupt();
    }
  }

  @Override
  public String toString() {
    return pid.toString();
  }
}
