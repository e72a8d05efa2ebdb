// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.Down;
import dev.coppice.core.ExitReason;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.Ticker;
import dev.coppice.core.genserver.OnStart;
import dev.coppice.core.genserver.ServerRef;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL: what both kinds of supervisor do with a child: start it, stop it by its shutdown spec,
 * schedule its retries, and report. Runs only on the supervisor's process.
 */
final class ChildOps {
  static final Logger log = LoggerFactory.getLogger(Supervisor.class);
  private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

  /** The supervisor's name in reports: its registered name, or its pid. */
  final Object supervisor;

  private final Pid self;
  private final Node node;
  private final Ticker ticker;
  private final Scheduler scheduler;

  ChildOps(Object supervisor, Pid self, Ticker ticker, Scheduler scheduler) {
    this.supervisor = supervisor;
    this.self = self;
    this.node = self.node();
    this.ticker = ticker;
    this.scheduler = scheduler;
  }

  long now() {
    return ticker.read();
  }

  /**
   * {@return true once the node is closing} {@link Node#close()} kills every process, children
   * usually before their supervisor: the supervisor must then neither report nor restart them.
   */
  boolean nodeClosing() {
    return node.isClosed();
  }

  // ------------------------------------------------------------------ starting

  /** The outcome of one call of a start function. */
  sealed interface Outcome {}

  record Started(Pid pid, Object value) implements Outcome {}

  record Ignored() implements Outcome {}

  record Failed(ExitReason reason) implements Outcome {}

  private static final Ignored IGNORED = new Ignored();

  /**
   * Calls the spec's start function. Never throws for a failing start; rethrows only when the
   * supervisor itself was killed meanwhile.
   */
  Outcome call(ChildSpec spec, List<Object> extraArguments) {
    OnStart<?> result;
    try {
      result = spec.start().start(extraArguments);
    } catch (Exception e) {
      Processes.ensureAlive(); // the supervisor was killed during the start: unwind
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return new Failed(ExitReason.crash(e));
    }
    return switch (result) {
      case null -> new Failed(ExitReason.other("bad_start_value null"));
      case OnStart.Ok<?> ok -> {
        Pid pid = pidOf(ok.value());
        yield pid == null
            ? new Failed(ExitReason.other("bad_start_value " + ok.value()))
            : new Started(pid, ok.value());
      }
      case OnStart.Ignore<?> i -> IGNORED;
      case OnStart.AlreadyStarted<?> a -> new Failed(ExitReason.other(a));
      case OnStart.Failed<?> f -> new Failed(f.reason());
    };
  }

  private static Pid pidOf(Object value) {
    return switch (value) {
      case Pid p -> p;
      case ServerRef<?, ?> r -> r.whereis().orElse(null);
      case Supervisor s -> s.whereis().orElse(null);
      case DynamicSupervisor d -> d.pid();
      default -> null;
    };
  }

  /** Marks {@code c} running as the started process and monitors it. */
  MonitorRef run(Child c, Started s) {
    MonitorRef ref = Processes.monitor(s.pid());
    c.running(s.pid(), ref, s.value(), ticker.read());
    if (log.isDebugEnabled()) {
      log.atDebug()
          .addKeyValue("supervisor", supervisor)
          .addKeyValue("started", c.id())
          .addKeyValue("pid", s.pid())
          .log("supervisor {} started child '{}' as {}", supervisor, c.id(), s.pid());
    }
    return ref;
  }

  // ------------------------------------------------------------------ retries and backoff

  /**
   * Marks {@code c} restarting and arranges its next restart attempt: at once (a message to self,
   * so that calls queued meanwhile are answered first, as OTP's {@code try_again_restart}), or
   * after its backoff delay.
   */
  void scheduleRetry(Child c) {
    c.state = Child.State.RESTARTING;
    Object token = new Object();
    c.retryToken = token;
    Requests.Retry retry = new Requests.Retry(c, token);
    if (c.spec.backoff() instanceof Backoff.Exponential b) {
      c.attempts++;
      Duration delay = b.delay(c.attempts, ThreadLocalRandom.current().nextDouble());
      if (log.isDebugEnabled()) {
        log.atDebug()
            .addKeyValue("supervisor", supervisor)
            .addKeyValue("child", c.id())
            .addKeyValue("delay", delay)
            .log("supervisor {} restarts child '{}' in {}", supervisor, c.id(), delay);
      }
      scheduler.schedule(delay, self, retry);
    } else {
      Processes.send(self, retry);
    }
  }

  /**
   * {@return the child that {@code retry} is for, its token cleared, or null if the retry is
   * stale} A retry is stale once its child was terminated, restarted or deleted meanwhile ({@code
   * stillThere} tells whether the supervisor still holds that child).
   */
  static Child retried(Requests.Retry retry, boolean stillThere) {
    Child c = retry.child();
    if (c.retryToken != retry.token() || !stillThere) {
      return null;
    }
    c.retryToken = null;
    return c;
  }

  /** Resets the backoff count if the child ran long enough since its last start. */
  void maybeResetBackoff(Child c) {
    if (c.spec.backoff() instanceof Backoff.Exponential b
        && ticker.read() - c.startedAt >= Durations.nanos(b.resetAfter())) {
      c.attempts = 0;
    }
  }

  // ------------------------------------------------------------------ stopping

  /**
   * Stops a running child by its shutdown spec and waits for its Down on the child's monitor
   * (never on the link), reporting an unexpected exit reason as {@code shutdown_error}. The child
   * is not running afterwards.
   */
  ExitReason shutdown(Child c) {
    Pid pid = c.pid;
    MonitorRef ref = c.ref;
    Shutdown how = c.spec.shutdown();
    Processes.unlink(pid); // its own Exit will not arrive; the Down tells its reason
    Down down;
    if (how instanceof Shutdown.BrutalKill) {
      Processes.exit(pid, ExitReason.KILL);
      down = awaitDown(ref, FOREVER);
    } else {
      Processes.exit(pid, ExitReason.SHUTDOWN);
      if (how instanceof Shutdown.Timeout t) {
        down = awaitDown(ref, t.duration());
        if (down == null) {
          Processes.exit(pid, ExitReason.KILL);
          down = awaitDown(ref, FOREVER);
        }
      } else {
        down = awaitDown(ref, FOREVER);
      }
    }
    c.stopped();
    ExitReason reason = reasonOf(down);
    checkShutdownReason(c, how instanceof Shutdown.BrutalKill, reason);
    return reason;
  }

  /**
   * {@return the reason a child ended with} A child that ends between its start function's return
   * and the supervisor's monitor gives a Down with {@code noproc}; its pid still knows the real
   * reason, which decides whether it is restarted.
   */
  static ExitReason reasonOf(Down down) {
    ExitReason reason = down.reason();
    if (reason instanceof ExitReason.NoProc && down.pid() != null) {
      return down.pid().exitReason().orElse(reason);
    }
    return reason;
  }

  private static Down awaitDown(MonitorRef ref, Duration timeout) {
    return Processes.receive(Down.class, d -> d.ref() == ref, timeout);
  }

  private void checkShutdownReason(Child c, boolean brutal, ExitReason reason) {
    boolean permanent = c.spec.restart() == Restart.PERMANENT;
    boolean expected =
        switch (reason) {
          case ExitReason.Killed k -> brutal;
          case ExitReason.Shutdown s -> s.detail() == null ? (!brutal || !permanent) : !permanent;
          case ExitReason.Normal n -> !permanent;
          default -> false;
        };
    if (!expected) {
      report("shutdown_error", c, reason);
    }
  }

  /**
   * Stops running children all at once (Elixir's DynamicSupervisor, DYN-04): every child gets its
   * exit signal first, then the supervisor collects the Downs, killing each child whose own
   * shutdown timeout has passed. The total is about the slowest child's time, not the sum.
   */
  void shutdownTogether(List<Child> children) {
    IdentityHashMap<MonitorRef, Stopping> pending = new IdentityHashMap<>();
    long start = System.nanoTime();
    for (Child c : children) {
      if (c.state != Child.State.RUNNING) {
        continue;
      }
      Processes.unlink(c.pid);
      Shutdown how = c.spec.shutdown();
      boolean brutal = how instanceof Shutdown.BrutalKill;
      long deadline = how instanceof Shutdown.Timeout t ? start + Durations.nanos(t.duration()) : 0;
      Processes.exit(c.pid, brutal ? ExitReason.KILL : ExitReason.SHUTDOWN);
      pending.put(c.ref, new Stopping(c, brutal, how instanceof Shutdown.Timeout, deadline));
    }
    while (!pending.isEmpty()) {
      long earliest = Long.MAX_VALUE;
      boolean any = false;
      for (Stopping s : pending.values()) {
        if (s.timed && !s.killed && (!any || s.deadline - earliest < 0)) {
          earliest = s.deadline;
          any = true;
        }
      }
      Duration wait = any ? Duration.ofNanos(Math.max(0, earliest - System.nanoTime())) : FOREVER;
      Down d = Processes.receive(Down.class, x -> pending.containsKey(x.ref()), wait);
      if (d != null) {
        Stopping s = pending.remove(d.ref());
        s.child.stopped();
        checkShutdownReason(s.child, s.brutal, reasonOf(d));
      } else {
        long now = System.nanoTime();
        for (Stopping s : new ArrayList<>(pending.values())) {
          if (s.timed && !s.killed && now - s.deadline >= 0) {
            s.killed = true;
            Processes.exit(s.child.pid, ExitReason.KILL);
          }
        }
      }
    }
  }

  private static final class Stopping {
    final Child child;
    final boolean brutal;
    final boolean timed;
    final long deadline;
    boolean killed;

    Stopping(Child child, boolean brutal, boolean timed, long deadline) {
      this.child = child;
      this.brutal = brutal;
      this.timed = timed;
      this.deadline = deadline;
    }
  }

  // ------------------------------------------------------------------ reports

  /**
   * Records that the running child {@code c} ended with {@code reason}, and reports it as {@code
   * child_terminated} unless the reason is quiet (normal, shutdown).
   */
  void exited(Child c, ExitReason reason) {
    c.stopped();
    c.lastExit = reason;
    if (!reason.isQuiet()) {
      report("child_terminated", c, reason);
    }
  }

  /** Logs, at WARN, a message that no supervisor expects. */
  void unexpected(Object message) {
    log.atWarn()
        .addKeyValue("supervisor", supervisor)
        .addKeyValue("message", message)
        .log("supervisor {} received an unexpected message: {}", supervisor, message);
  }

  /**
   * Logs one supervisor report at ERROR with OTP's field names as key-values: {@code supervisor},
   * {@code errorContext} ({@code child_terminated}, {@code start_error}, {@code shutdown_error},
   * {@code reached_max_restart_intensity}), {@code reason}, and the offender as OTP's {@code
   * offender} list spells it: {@code offender} (the child's id), {@code pid} (the {@link Pid} it
   * ran as last, or the string {@code undefined} if it never ran), {@code restartType}, {@code
   * shutdown} and {@code childType}.
   */
  void report(String errorContext, Child c, ExitReason reason) {
    Object pid = c.pid != null ? c.pid : c.lastPid != null ? c.lastPid : "undefined";
    log.atError()
        .setCause(reason instanceof ExitReason.Crash crash ? crash.cause() : null)
        .addKeyValue("supervisor", supervisor)
        .addKeyValue("errorContext", errorContext)
        .addKeyValue("reason", reason)
        .addKeyValue("offender", c.id())
        .addKeyValue("pid", pid)
        .addKeyValue("restartType", c.spec.restart().name().toLowerCase(Locale.ROOT))
        .addKeyValue("shutdown", c.spec.shutdown().toString())
        .addKeyValue("childType", c.spec.type().name().toLowerCase(Locale.ROOT))
        .log(
            "supervisor {} report: {} of child '{}' ({}): {}",
            supervisor,
            errorContext,
            c.id(),
            pid,
            reason);
  }
}
