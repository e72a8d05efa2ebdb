// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.Down;
import dev.coppice.core.Exit;
import dev.coppice.core.ExitReason;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;
import dev.coppice.supervisor.Requests.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * INTERNAL: a static supervisor, as a {@link GenServer} (as OTP's supervisor is a gen_server).
 *
 * <p>It traps exits, links to its children through their start functions, and watches each
 * running child with a monitor: a child's {@link Down} drives restarts, and its {@link Exit} (which
 * arrives first) is ignored, so a child that unlinked itself is still noticed. Its parent's exit
 * signal is handled by the GenServer loop, which calls {@link #terminate}: children stop in
 * reverse start order. The state is this object (a fresh one per start).
 */
final class SupervisorServer implements GenServer<SupervisorServer, Request, Void> {
  private static final List<Object> NO_ARGS = List.of();

  private final Callable<SupervisorInit> initCallback;
  private final String name;
  private SupervisorFlags flags;
  private ChildOps ops;
  private RestartIntensity intensity;
  private final ArrayList<Child> children = new ArrayList<>();
  private final HashMap<String, Child> byId = new HashMap<>();
  private final IdentityHashMap<MonitorRef, Child> byRef = new IdentityHashMap<>();

  SupervisorServer(Callable<SupervisorInit> initCallback, String name) {
    this.initCallback = initCallback;
    this.name = name;
  }

  // ------------------------------------------------------------------ init

  @Override
  public Init<SupervisorServer> init() throws Exception {
    Processes.trapExits(true);
    SupervisorInit result = initCallback.call();
    if (result == null) {
      throw new IllegalStateException(
          "the supervisor's init returned null; return SupervisorInit.ok(flags, children) or"
              + " SupervisorInit.ignore()");
    }
    if (result instanceof SupervisorInit.Ignore) {
      return Init.ignore();
    }
    SupervisorInit.Ok ok = (SupervisorInit.Ok) result;
    Validation.check(ok.flags(), ok.children());
    flags = ok.flags();
    ops =
        new ChildOps(
            name != null ? name : Processes.self(),
            Processes.self(),
            flags.ticker(),
            flags.scheduler());
    intensity = new RestartIntensity(flags.intensity(), Durations.nanos(flags.period()));
    for (ChildSpec spec : ok.children()) {
      Child c = new Child(spec);
      switch (ops.call(spec, NO_ARGS)) {
        case ChildOps.Started s -> {
          add(c);
          byRef.put(ops.run(c, s), c);
        }
        case ChildOps.Ignored i -> {
          if (spec.restart() != Restart.TEMPORARY) {
            add(c);
          }
        }
        case ChildOps.Failed f -> {
          ops.report("start_error", c, f.reason());
          stopAll();
          return Init.stop(ExitReason.shutdown(new FailedToStartChild(spec.id(), f.reason())));
        }
      }
    }
    return Init.ok(this);
  }

  // ------------------------------------------------------------------ calls

  @Override
  public Next<SupervisorServer> handleCall(Request request, SupervisorServer state) {
    return switch (request) {
      case Requests.WhichChildren w -> Next.reply(w.from(), whichChildren(w.newestFirst()), this);
      case Requests.CountChildren c -> Next.reply(c.from(), countChildren(), this);
      case Requests.GetChildSpec g ->
          Next.reply(g.from(), Optional.ofNullable(byId.get(g.id())).map(ch -> ch.spec), this);
      case Requests.StartChild s -> Next.reply(s.from(), startChild(s.spec()), this);
      case Requests.TerminateChild t -> Next.reply(t.from(), terminateChild(t.id()), this);
      case Requests.TerminatePid t -> Next.reply(t.from(), false, this); // OTP: not_found
      case Requests.RestartChild r -> Next.reply(r.from(), restartChild(r.id()), this);
      case Requests.DeleteChild d -> Next.reply(d.from(), deleteChild(d.id()), this);
    };
  }

  private List<ChildInfo> whichChildren(boolean newestFirst) {
    List<ChildInfo> out = new ArrayList<>(children.size());
    for (Child c : children) {
      out.add(c.info());
    }
    return newestFirst ? out.reversed() : out; // newest first is OTP's order
  }

  private ChildCounts countChildren() {
    int active = 0;
    int supervisors = 0;
    for (Child c : children) {
      if (c.state == Child.State.RUNNING && c.pid.isAlive()) { // OTP: is_process_alive
        active++;
      }
      if (c.spec.type() == ChildType.SUPERVISOR) {
        supervisors++;
      }
    }
    return new ChildCounts(children.size(), active, supervisors, children.size() - supervisors);
  }

  private Object startChild(ChildSpec spec) {
    String problem = Validation.problem(flags.autoShutdown(), spec);
    if (problem != null) {
      return new Requests.Invalid(problem);
    }
    Child existing = byId.get(spec.id());
    if (existing != null) {
      return existing.state == Child.State.RUNNING
          ? new StartChildResult.AlreadyStarted(existing.pid)
          : new StartChildResult.AlreadyPresent();
    }
    Child c = new Child(spec);
    return switch (ops.call(spec, NO_ARGS)) {
      case ChildOps.Started s -> {
        add(c);
        byRef.put(ops.run(c, s), c);
        yield new StartChildResult.Started(s.pid(), s.value());
      }
      case ChildOps.Ignored i -> {
        if (spec.restart() != Restart.TEMPORARY) {
          add(c);
        }
        yield new StartChildResult.Ignored();
      }
      case ChildOps.Failed f -> new Requests.StartError(spec.id(), f.reason());
    };
  }

  private boolean terminateChild(String id) {
    Child c = byId.get(id);
    if (c == null) {
      return false;
    }
    if (c.state == Child.State.RUNNING) {
      byRef.remove(c.ref);
      ops.shutdown(c);
    }
    c.stopped(); // also cancels a pending retry: its token no longer matches
    if (c.spec.restart() == Restart.TEMPORARY) {
      remove(c);
    }
    return true;
  }

  private Object restartChild(String id) {
    Child c = byId.get(id);
    if (c == null) {
      return new RestartChildResult.NotFound();
    }
    return switch (c.state) {
      case RUNNING -> new RestartChildResult.Running();
      case RESTARTING -> new RestartChildResult.Restarting();
      case NOT_RUNNING ->
          switch (ops.call(c.spec, NO_ARGS)) {
            case ChildOps.Started s -> {
              byRef.put(ops.run(c, s), c);
              yield new RestartChildResult.Restarted(s.pid(), s.value());
            }
            case ChildOps.Ignored i -> new RestartChildResult.Ignored();
            case ChildOps.Failed f -> new Requests.StartError(id, f.reason());
          };
    };
  }

  private DeleteChildResult deleteChild(String id) {
    Child c = byId.get(id);
    if (c == null) {
      return DeleteChildResult.NOT_FOUND;
    }
    return switch (c.state) {
      case RUNNING -> DeleteChildResult.RUNNING;
      case RESTARTING -> DeleteChildResult.RESTARTING;
      case NOT_RUNNING -> {
        remove(c);
        yield DeleteChildResult.DELETED;
      }
    };
  }

  // ------------------------------------------------------------------ child exits and restarts

  @Override
  public Next<SupervisorServer> handleInfo(Object message, SupervisorServer state) {
    if (ops.nodeClosing()) {
      return Next.noreply(this); // everything is being killed: nothing to restart or report
    }
    switch (message) {
      case Down d -> {
        Child c = byRef.remove(d.ref());
        return c == null ? Next.noreply(this) : childExited(c, ChildOps.reasonOf(d));
      }
      case Exit e -> {
        // A child's link (its Down follows and tells the same), or a stranger's: ignored (SUP-18).
        // The parent's exit never gets here: the GenServer loop turns it into terminate.
        return Next.noreply(this);
      }
      case Requests.Retry r -> {
        Child c = ChildOps.retried(r, byId.get(r.child().id()) == r.child());
        return c == null ? Next.noreply(this) : restart(c);
      }
      default -> {
        ops.unexpected(message);
        return Next.noreply(this);
      }
    }
  }

  private Next<SupervisorServer> childExited(Child c, ExitReason reason) {
    ops.exited(c, reason);
    if (!c.spec.restart().restarts(reason)) {
      if (c.spec.restart() == Restart.TEMPORARY) {
        remove(c);
      }
      if (c.spec.significant() && autoShutdownNow()) {
        return Next.stop(ExitReason.SHUTDOWN, this);
      }
      return Next.noreply(this);
    }
    if (c.spec.backoff() instanceof Backoff.Exponential) {
      ops.maybeResetBackoff(c);
      stopSiblings(c); // nothing that depends on the child runs while it waits
      for (Child m : group(c)) {
        if (m != c) {
          m.stopped(); // not running (a retry of its own is dropped): c's restart starts it
        }
      }
      ops.scheduleRetry(c);
      return Next.noreply(this);
    }
    return restart(c);
  }

  /** One restart (of {@code c} and its strategy group), counted against the intensity. */
  private Next<SupervisorServer> restart(Child c) {
    if (!intensity.add(ops.now())) {
      ops.report("reached_max_restart_intensity", c, c.lastExit);
      return Next.stop(ExitReason.SHUTDOWN, this);
    }
    stopSiblings(c);
    List<Child> group = group(c);
    for (int i = 0; i < group.size(); i++) {
      Child m = group.get(i);
      switch (ops.call(m.spec, NO_ARGS)) {
        case ChildOps.Started s -> byRef.put(ops.run(m, s), m);
        case ChildOps.Ignored ig -> m.stopped();
        case ChildOps.Failed f -> {
          ops.report("start_error", m, f.reason());
          m.lastExit = f.reason();
          ops.scheduleRetry(m);
          // The rest of the group stays not running (OTP's undefined, not restarting): m's
          // retry restarts m's own strategy group, which starts them (after stopping any that
          // were started by hand meanwhile), as OTP's try_again_restart does.
          for (int j = i + 1; j < group.size(); j++) {
            group.get(j).stopped();
          }
          return Next.noreply(this);
        }
      }
    }
    return Next.noreply(this);
  }

  /** The children the strategy restarts with {@code c}, in start order; temporary ones left out. */
  private List<Child> group(Child c) {
    return switch (flags.strategy()) {
      case ONE_FOR_ONE -> List.of(c);
      case REST_FOR_ONE -> withoutTemporary(children.subList(children.indexOf(c), children.size()));
      case ONE_FOR_ALL -> withoutTemporary(children);
    };
  }

  private static List<Child> withoutTemporary(List<Child> list) {
    List<Child> out = new ArrayList<>(list.size());
    for (Child m : list) {
      if (m.spec.restart() != Restart.TEMPORARY) {
        out.add(m);
      }
    }
    return out;
  }

  /**
   * Stops the running siblings that the strategy restarts with {@code c}, from the last started
   * to the first. Temporary ones are stopped and forgotten, as in OTP.
   */
  private void stopSiblings(Child c) {
    if (flags.strategy() == Strategy.ONE_FOR_ONE) {
      return;
    }
    int from = flags.strategy() == Strategy.REST_FOR_ONE ? children.indexOf(c) : 0;
    for (int i = children.size() - 1; i >= from; i--) {
      Child m = children.get(i);
      if (m == c) {
        continue;
      }
      if (m.state == Child.State.RUNNING) {
        byRef.remove(m.ref);
        ops.shutdown(m);
      }
      if (m.spec.restart() == Restart.TEMPORARY) {
        remove(m);
      }
    }
  }

  private boolean autoShutdownNow() {
    return switch (flags.autoShutdown()) {
      case NEVER -> false;
      case ANY_SIGNIFICANT -> true;
      case ALL_SIGNIFICANT -> {
        for (Child c : children) {
          if (c.spec.significant() && c.state != Child.State.NOT_RUNNING) {
            yield false;
          }
        }
        yield true;
      }
    };
  }

  // ------------------------------------------------------------------ termination

  @Override
  public void terminate(ExitReason reason, SupervisorServer state) {
    if (ops != null) {
      stopAll();
    }
  }

  /** Stops every running child, from the last started to the first (SUP-05). */
  private void stopAll() {
    for (int i = children.size() - 1; i >= 0; i--) {
      Child c = children.get(i);
      if (c.state == Child.State.RUNNING) {
        byRef.remove(c.ref);
        ops.shutdown(c);
      }
    }
  }

  private void add(Child c) {
    children.add(c);
    byId.put(c.id(), c);
  }

  private void remove(Child c) {
    children.remove(c);
    byId.remove(c.id());
    if (c.ref != null) {
      byRef.remove(c.ref);
    }
  }
}
