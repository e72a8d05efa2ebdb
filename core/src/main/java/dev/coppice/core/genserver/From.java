// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import dev.coppice.core.ExitReason;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.WaitInterruptedException;
import dev.coppice.core.internal.ProcessAccess;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The reply handle of one call: OTP's {@code From}. The runtime creates one per call and passes
 * it to the function that builds the request, so the request carries it into {@link
 * GenServer#handleCall} with its reply type:
 *
 * <pre>{@code
 * record Pop(From<Optional<String>> from) implements StackCall {}
 * Optional<String> top = stack.call(Pop::new);
 * }</pre>
 *
 * <p>Reply by returning {@link Next#reply(From, Object, Object)}, or later with {@link
 * #reply(Object)} from any thread (a deferred reply). The first reply wins; later ones, and any
 * reply after the caller gave up (timed out), are dropped: they never reach the caller.
 *
 * <p>{@link #caller()} names the calling process, as the pid in OTP's {@code From = {Pid, Tag}}
 * does, so a server need not ask its callers to put their own pid into the request.
 *
 * @param <R> the reply type
 * @since 0.1
 */
public final class From<R> {
  private static final int PENDING = 0;
  private static final int WRITING = 1;
  private static final int REPLIED = 2;
  private static final int EXITED = 3;
  private static final int CLOSED = 4;
  private static final int SPINS = Integer.getInteger("coppice.replySpins", 0);

  /**
   * Yields of a waiting virtual thread before it parks. Off by default, for the reason the
   * receive's yields are (see {@code Proc.YIELDS}: no clear gain measured, on restarts or on
   * calls). A busy spin would hold the carrier the server is queued on (measured on 2 loaded
   * cores: ~14 us per call).
   */
  private static final int YIELDS = Integer.getInteger("coppice.replyYields", 0);
  private static final VarHandle STATE;
  private static final ProcessAccess ACCESS;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(From.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
    Processes.selfOrNull(); // loads Processes, which installs the access
    ACCESS = ProcessAccess.get();
  }

  private final Thread waiter;
  private final Pid caller;
  private volatile int state;
  private volatile int parked;
  private Object value;
  private ExitReason exitReason;

  From() {
    this.waiter = Thread.currentThread();
    this.caller = Processes.selfOrNull();
  }

  /**
   * {@return the process that made this call} OTP's {@code element(1, From)}. Empty when the
   * caller is a thread that is not a process (a {@code main} method, an executor's thread): such a
   * caller can be replied to, but not sent to, linked or monitored. May be called from any thread.
   *
   * <p>The pid names the caller at the time of the call; the caller may have exited since (it
   * was killed, or it gave up and moved on), so a server that keeps it beyond the reply should
   * monitor it, as an OTP server would.
   */
  public Optional<Pid> caller() {
    return Optional.ofNullable(caller);
  }

  /**
   * Sends {@code reply} to the caller. Only the first reply counts; a reply after the caller gave
   * up is dropped. May be called from any thread; a process that has exited (a server killed
   * while its callback still runs) can no longer reply.
   *
   * @param reply the reply; may be null
   * @return true if this reply will reach the caller
   * @throws dev.coppice.core.ProcessExitedException if the calling process has exited
   */
  public boolean reply(R reply) {
    Processes.ensureAlive(); // a dead process cannot act; the CAS below orders us with its exit
    return complete(reply);
  }

  /**
   * The runtime's reply, which no liveness check guards: a failed start is answered by the
   * server's thread after its own exit, and by exit hooks, which run outside any process.
   */
  boolean complete(R reply) {
    if (!STATE.compareAndSet(this, PENDING, WRITING)) {
      return false;
    }
    value = reply;
    state = REPLIED;
    wake();
    return true;
  }

  /** {@return true while the caller still waits for a reply} May be called from any thread. */
  public boolean isPending() {
    return state == PENDING;
  }

  void serverExited(ExitReason reason) {
    if (STATE.compareAndSet(this, PENDING, WRITING)) {
      exitReason = reason;
      state = EXITED;
      wake();
    }
  }

  private void wake() {
    if (parked != 0) {
      LockSupport.unpark(waiter);
    }
  }

  /**
   * Waits for the outcome. Returns true for a reply, false for a server exit or a timeout.
   *
   * @param what what the caller waits for, named by the exception if the wait is interrupted
   * @throws WaitInterruptedException if the waiting thread is interrupted while its process (if
   *     any) is alive; the handle is closed, so a late reply is dropped
   * @throws dev.coppice.core.ProcessExitedException if the waiting process has exited
   */
  boolean await(long nanos, Object what) {
    final boolean forever = nanos < 0 || nanos >= Long.MAX_VALUE / 4;
    final long deadline = forever ? 0 : System.nanoTime() + nanos;
    int spins = SPINS;
    int yields = Thread.currentThread().isVirtual() ? YIELDS : 0;
    boolean interrupted = false;
    boolean timedPark = false;
    try {
      int s;
      while ((s = state) <= WRITING) {
        if (s == WRITING || spins > 0) {
          spins--;
          Thread.onSpinWait();
          continue;
        }
        if (yields > 0 && (forever || deadline - System.nanoTime() > 0)) {
          yields--;
          Thread.yield();
          continue;
        }
        parked = 1;
        if (state != PENDING) {
          parked = 0;
          continue;
        }
        if (forever) {
          LockSupport.park(this);
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            parked = 0;
            if (STATE.compareAndSet(this, PENDING, CLOSED)) {
              return false;
            }
            continue;
          }
          timedPark = true;
          ACCESS.parkUntil(this, deadline);
        }
        parked = 0;
        if (Thread.interrupted()) {
          interrupted = true;
          if (caller != null && !Processes.isAlive(caller)) {
            STATE.compareAndSet(this, PENDING, CLOSED);
            interrupted = false; // a kill's interrupt: the thread is unwinding anyway
            Processes.ensureAlive(); // throws
          }
          if (STATE.compareAndSet(this, PENDING, CLOSED)) {
            // interrupted while alive: give the wait up; the finally block restores the status
            throw new WaitInterruptedException(what);
          }
        }
      }
      return s == REPLIED;
    } finally {
      if (timedPark) {
        ACCESS.timedWaitEnded();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  boolean timedOut() {
    return state == CLOSED;
  }

  @SuppressWarnings("unchecked")
  R value() {
    return (R) value;
  }

  ExitReason exitReason() {
    return exitReason;
  }

  @Override
  public String toString() {
    return "From[" + waiter.getName() + "]";
  }
}
