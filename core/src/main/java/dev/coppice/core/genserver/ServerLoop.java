// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import dev.coppice.core.Exit;
import dev.coppice.core.ExitHook;
import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.WaitInterruptedException;
import dev.coppice.core.internal.ProcessAccess;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** INTERNAL: the loop that runs a {@link GenServer} on its process. */
final class ServerLoop<S, Q, C> implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(GenServer.class);
  private static final ProcessAccess ACCESS;

  static {
    Processes.selfOrNull(); // loads Processes, which installs the access
    ACCESS = ProcessAccess.get();
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  private final GenServer<S, Q, C> server;
  private final String name;
  private From<OnStart<ServerRef<Q, C>>> started; // dropped once answered: idle servers stay small
  private final Pid parent;
  private volatile OnStart<ServerRef<Q, C>> failure; // what a failed start reports
  private S state;
  private Object lastMessage;
  private Pid self;

  private ServerLoop(
      GenServer<S, Q, C> server, String name, From<OnStart<ServerRef<Q, C>>> started, Pid parent) {
    this.server = server;
    this.name = name;
    this.started = started;
    this.parent = parent;
  }

  /**
   * The start protocol. The caller waits on {@code started}. A start that fails in the server's
   * own code (init returned ignore, stop or error, threw, or the name was taken) is answered by
   * the server's thread after its whole exit sequence has run: its name is free and its parent's
   * link has fired by then, so the failure is synchronous (OTP 26). A server that dies otherwise
   * during init (killed) is answered by an exit hook. On a start timeout the caller unlinks the
   * server before killing it, so that the kill does not take a linked caller down.
   */
  static <S, Q, C> OnStart<ServerRef<Q, C>> start(
      Node node, GenServer<S, Q, C> server, StartOptions options, boolean link) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(options, "options");
    Pid caller = Processes.selfOrNull();
    if (link && caller == null) {
      throw new IllegalStateException(
          "startLink must be called from within a process (the new server's parent); "
              + "use GenServer.start(node, server) from plain threads");
    }
    From<OnStart<ServerRef<Q, C>>> started = new From<>();
    ServerLoop<S, Q, C> loop =
        new ServerLoop<>(server, options.name(), started, link ? caller : null);
    Pid pid;
    if (link) {
      pid = Processes.spawnLink(loop);
    } else {
      Processes.ensureAlive();
      pid = node.spawn(loop); // on the node asked for, whatever node the caller belongs to
    }
    Optional<ExitHook.Registration> watch =
        Processes.onExit(
            pid,
            (p, reason) -> {
              if (loop.failure == null) { // not a failure the server answers itself
                started.complete(new OnStart.Failed<>(reason));
              }
            });
    if (watch.isEmpty() && loop.failure == null) {
      started.complete(new OnStart.Failed<>(pid.exitReason().orElse(ExitReason.NOPROC)));
    }
    Duration timeout = options.timeout();
    long nanos = timeout.compareTo(Duration.ofDays(365L * 1000)) >= 0 ? -1 : timeout.toNanos();
    OnStart<ServerRef<Q, C>> result;
    boolean timedOut = false;
    try {
      boolean answered;
      try {
        answered = started.await(nanos, "the start of " + pid);
      } catch (WaitInterruptedException e) {
        // the caller gave up: the server must not run on unseen, as after a start timeout
        if (link) {
          Processes.unlink(pid);
        }
        Processes.exit(pid, ExitReason.KILL);
        throw e;
      }
      if (answered) {
        result = started.value();
      } else {
        timedOut = true;
        if (link) {
          Processes.unlink(pid); // OTP: unlink, then kill, so a non-trapping parent survives
        }
        Processes.exit(pid, ExitReason.KILL);
        result = new OnStart.Failed<>(ExitReason.other("timeout"));
      }
    } finally {
      watch.ifPresent(ExitHook.Registration::cancel);
    }
    if (link) {
      if (!(result instanceof OnStart.Ok) && Processes.trapsExits()) {
        // OTP 26: a failed start is synchronous and its EXIT message is consumed. It is queued
        // already, unless the server was killed by someone else during init (then it is on its
        // way), or we unlinked after a timeout (then it only exists if the server died first).
        Processes.receive(
            Exit.class,
            e -> e.from().equals(pid),
            timedOut ? Duration.ZERO : Duration.ofSeconds(5));
      }
      Processes.ensureAlive(); // a non-trapping parent that the failed start's signal killed
    }
    return result;
  }

  /**
   * The server's life: init, then the message loop. The loop keeps to this one frame and calls
   * out for everything else (init, dispatch), because an idle server is parked in it and every
   * frame and spill slot between the thread's start and the park stays in its memory.
   */
  @Override
  public void run() {
    Then then = init();
    try {
      for (; ; ) {
        if (then instanceof Then.Continue c) {
          then = handleContinue(c);
        } else {
          Object msg =
              ACCESS.receive(self, then instanceof Then.Timeout t ? saturatedNanos(t.idle()) : -1);
          then = handle(msg == null ? IdleTimeout.INSTANCE : msg, then);
        }
        if (then == null) {
          return; // stopped
        }
      }
    } catch (Throwable t) { // the process boundary of a server: a crash in a callback
      if (!self.isAlive()) {
        throw t; // killed: the thread is unwinding
      }
      exitWith(ExitReason.crash(t), t);
    }
  }

  /** Registers the name and runs init; {@return the first Then} or throws, the start failed. */
  private Then init() {
    self = Processes.self();
    if (name != null) {
      try {
        Processes.register(name, self);
      } catch (IllegalArgumentException taken) {
        Optional<Pid> holder = Processes.whereis(name);
        throw failStart(
            holder.isPresent()
                ? new OnStart.AlreadyStarted<>(holder.get())
                : new OnStart.Failed<>(ExitReason.other("name_not_registered " + name)),
            ExitReason.NORMAL);
      }
    }
    Init<S> init;
    try {
      init = server.init();
    } catch (Exception e) {
      if (!self.isAlive()) {
        throw new IllegalStateException("killed during init", e);
      }
      ExitReason reason = ExitReason.crash(e);
      report(reason, e, "init");
      throw failStart(new OnStart.Failed<>(reason), reason);
    }
    switch (init) {
      case null -> {
        ExitReason reason = ExitReason.other(new BadReturnValue("init", null));
        report(reason, null, "init");
        throw failStart(new OnStart.Failed<>(reason), reason);
      }
      case Init.Ignore<S> i -> throw failStart(new OnStart.Ignore<>(), ExitReason.NORMAL);
      case Init.Stop<S> s -> {
        if (!s.reason().isQuiet()) {
          report(s.reason(), null, "init");
        }
        throw failStart(new OnStart.Failed<>(s.reason()), s.reason());
      }
      case Init.Error<S> e -> throw failStart(new OnStart.Failed<>(e.reason()), ExitReason.NORMAL);
      case Init.Ok<S> ok -> {
        state = ok.state();
        Processes.ensureAlive(); // killed during init: the starter hears it from the exit hook
        started.reply(new OnStart.Ok<>(ServerRef.of(self)));
        started = null;
        return ok.then();
      }
    }
  }

  private Then handleContinue(Then.Continue c) {
    Processes.ensureAlive(); // killed during the last callback: run no more of them
    lastMessage = c;
    return apply(server.handleContinue(c.argument(), state), "handleContinue");
  }

  /**
   * Runs the callback for {@code msg}; {@return the next Then, or null once stopped} A system
   * message runs no callback and keeps {@code current}, as OTP's {@code system_continue} re-enters
   * the loop with the same timeout.
   */
  @SuppressWarnings("unchecked")
  private Then handle(Object msg, Then current) {
    switch (msg) {
      case Envelopes.SystemGetState g -> {
        g.from().reply(state);
        return current;
      }
      case Envelopes.SystemReplaceState r -> {
        S updated;
        try {
          updated = (S) r.update().apply(state);
        } catch (RuntimeException e) {
          // OTP's sys:replace_state: a failing function leaves the state alone, and the caller
          // gets the error; the server does not crash
          r.from().complete(new ReplaceFailed(e));
          return current;
        }
        state = updated;
        r.from().reply(updated);
        return current;
      }
      default -> {}
    }
    lastMessage = msg;
    return switch (msg) {
      case Envelopes.Call c -> apply(server.handleCall((Q) c.request(), state), "handleCall");
      case Envelopes.Cast c -> apply(server.handleCast((C) c.message(), state), "handleCast");
      case Envelopes.SystemStop s -> {
        exitWith(s.reason(), null);
        yield null;
      }
      case Exit e when parent != null && e.from().equals(parent) && Processes.trapsExits() -> {
        exitWith(e.reason(), null);
        yield null;
      }
      default -> apply(server.handleInfo(msg, state), "handleInfo");
    };
  }

  /** The reply to a replace-state request whose function threw. */
  record ReplaceFailed(RuntimeException cause) {}

  /**
   * Ends a start that failed in the server's own code: exits with {@code reason}, and answers the
   * starter only after the whole exit sequence has run (name released, links fired).
   */
  private RuntimeException failStart(OnStart<ServerRef<Q, C>> outcome, ExitReason reason) {
    failure = outcome; // from here on the exit hook leaves the answer to us
    try {
      throw Processes.exit(reason);
    } finally {
      started.complete(outcome); // we are dead by now: the runtime's reply, not the server's
    }
  }

  /** Applies a callback result; returns the next Then, or null once the server has stopped. */
  private Then apply(Next<S> next, String callback) {
    switch (next) {
      case null -> {
        exitWith(ExitReason.other(new BadReturnValue(callback, null)), null);
        return null;
      }
      case Next.NoReply<S> n -> {
        state = n.state();
        return n.then();
      }
      case Next.Reply<S, ?> r -> {
        state = r.state();
        reply(r.to(), r.value());
        return r.then();
      }
      case Next.Stop<S> s -> {
        state = s.state();
        exitWith(s.reason(), null);
        return null;
      }
      case Next.StopReply<S, ?> s -> {
        state = s.state();
        ExitReason reason = terminate(s.reason());
        reply(s.to(), s.value());
        finish(reason, null);
        return null;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <R> void reply(From<R> to, Object value) {
    to.reply((R) value);
  }

  /**
   * Runs terminate, unless the server has been killed meanwhile (then it throws, as terminate
   * never runs after a kill); returns the exit reason, replaced by terminate's crash if it
   * throws. Terminate is the last callback, so this is a process boundary: anything it throws
   * becomes the crash, and it can never run twice.
   */
  private ExitReason terminate(ExitReason reason) {
    Processes.ensureAlive();
    try {
      server.terminate(reason, state);
      return reason;
    } catch (Throwable t) { // the server's boundary: terminate's failure is its exit reason
      if (!self.isAlive()) {
        throw t;
      }
      return ExitReason.crash(t);
    }
  }

  private void exitWith(ExitReason reason, Throwable cause) {
    finish(terminate(reason), cause);
  }

  private void finish(ExitReason reason, Throwable cause) {
    if (!reason.isQuiet()) {
      report(reason, reason instanceof ExitReason.Crash c ? c.cause() : cause, null);
    }
    throw Processes.exit(reason);
  }

  private void report(ExitReason reason, Throwable cause, String phase) {
    Object who = name != null ? name : self;
    log.atError()
        .setCause(cause)
        .addKeyValue("server", who)
        .addKeyValue("lastMessage", phase != null ? phase : lastMessage)
        .addKeyValue("reason", reason)
        .log("GenServer {} terminating: {} (last message: {})", who, reason, phase != null ? phase : lastMessage);
  }
}
