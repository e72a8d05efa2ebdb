// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.Down;
import dev.coppice.core.Exit;
import dev.coppice.core.ExitReason;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;
import dev.coppice.supervisor.Requests.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * INTERNAL: a dynamic supervisor (Elixir's DynamicSupervisor), as a {@link GenServer}. Children
 * are kept in start order in a linked set (removal in constant time, for supervisors of many
 * children) and found by pid and by monitor.
 */
final class DynamicSupervisorServer
    implements GenServer<DynamicSupervisorServer, Request, Void> {
  private final DynamicSupervisorFlags flags;
  private final String name;
  private ChildOps ops;
  private RestartIntensity intensity;
  private final LinkedHashSet<Child> children = new LinkedHashSet<>();
  private final HashMap<Pid, Child> byPid = new HashMap<>();
  private final IdentityHashMap<MonitorRef, Child> byRef = new IdentityHashMap<>();

  DynamicSupervisorServer(DynamicSupervisorFlags flags, String name) {
    this.flags = flags;
    this.name = name;
  }

  @Override
  public Init<DynamicSupervisorServer> init() {
    Processes.trapExits(true);
    ops =
        new ChildOps(
            name != null ? name : Processes.self(),
            Processes.self(),
            flags.ticker(),
            flags.scheduler());
    intensity = new RestartIntensity(flags.intensity(), Durations.nanos(flags.period()));
    return Init.ok(this);
  }

  @Override
  public Next<DynamicSupervisorServer> handleCall(Request request, DynamicSupervisorServer state) {
    return switch (request) {
      case Requests.StartChild s -> Next.reply(s.from(), startChild(s.spec()), this);
      case Requests.TerminatePid t -> Next.reply(t.from(), terminateChild(t.pid()), this);
      case Requests.WhichChildren w -> Next.reply(w.from(), whichChildren(w.newestFirst()), this);
      case Requests.CountChildren c -> Next.reply(c.from(), countChildren(), this);
      // Children have no ids here: the id-based requests find nothing.
      case Requests.TerminateChild t -> Next.reply(t.from(), false, this);
      case Requests.RestartChild r -> Next.reply(r.from(), new RestartChildResult.NotFound(), this);
      case Requests.DeleteChild d -> Next.reply(d.from(), DeleteChildResult.NOT_FOUND, this);
      case Requests.GetChildSpec g -> Next.reply(g.from(), Optional.<ChildSpec>empty(), this);
    };
  }

  private Object startChild(ChildSpec spec) {
    if (spec.significant()) {
      return new Requests.Invalid(
          "child '"
              + spec.id()
              + "' is significant: a DynamicSupervisor has no auto shutdown, so no significant"
              + " children (Elixir's {:invalid_significant, true}); use withSignificant(false)");
    }
    if (children.size() >= flags.maxChildren()) {
      return new DynamicStartResult.MaxChildren();
    }
    Child c = new Child(spec);
    return switch (ops.call(spec, flags.extraArguments())) {
      case ChildOps.Started s -> {
        children.add(c);
        run(c, s);
        yield new DynamicStartResult.Started(s.pid(), s.value());
      }
      case ChildOps.Ignored i -> new DynamicStartResult.Ignored();
      case ChildOps.Failed f -> new Requests.StartError(spec.id(), f.reason());
    };
  }

  private void run(Child c, ChildOps.Started s) {
    byRef.put(ops.run(c, s), c);
    byPid.put(s.pid(), c);
  }

  private boolean terminateChild(Pid pid) {
    Child c = byPid.remove(pid);
    if (c == null) {
      return false;
    }
    byRef.remove(c.ref);
    ops.shutdown(c);
    children.remove(c);
    return true;
  }

  /** The children in start order, or newest first for a {@link Supervisor} handle on this one. */
  private List<ChildInfo> whichChildren(boolean newestFirst) {
    List<ChildInfo> out = new ArrayList<>(children.size());
    for (Child c : children) {
      out.add(c.info());
    }
    return newestFirst ? out.reversed() : out;
  }

  private ChildCounts countChildren() {
    int active = 0;
    int supervisors = 0;
    for (Child c : children) {
      if (c.state == Child.State.RUNNING) {
        active++;
      }
      if (c.spec.type() == ChildType.SUPERVISOR) {
        supervisors++;
      }
    }
    return new ChildCounts(children.size(), active, supervisors, children.size() - supervisors);
  }

  @Override
  public Next<DynamicSupervisorServer> handleInfo(Object message, DynamicSupervisorServer state) {
    if (ops.nodeClosing()) {
      return Next.noreply(this); // everything is being killed: nothing to restart or report
    }
    switch (message) {
      case Down d -> {
        Child c = byRef.remove(d.ref());
        if (c == null) {
          return Next.noreply(this);
        }
        byPid.remove(c.pid);
        return childExited(c, ChildOps.reasonOf(d));
      }
      case Exit e -> {
        return Next.noreply(this); // see SupervisorServer: children are watched by monitors
      }
      case Requests.Retry r -> {
        Child c = ChildOps.retried(r, children.contains(r.child()));
        return c == null ? Next.noreply(this) : restart(c);
      }
      default -> {
        ops.unexpected(message);
        return Next.noreply(this);
      }
    }
  }

  private Next<DynamicSupervisorServer> childExited(Child c, ExitReason reason) {
    ops.exited(c, reason);
    if (!c.spec.restart().restarts(reason)) {
      children.remove(c); // no ids to keep it under: a child that ends for good is forgotten
      return Next.noreply(this);
    }
    if (c.spec.backoff() instanceof Backoff.Exponential) {
      ops.maybeResetBackoff(c);
      ops.scheduleRetry(c);
      return Next.noreply(this);
    }
    return restart(c);
  }

  private Next<DynamicSupervisorServer> restart(Child c) {
    if (!intensity.add(ops.now())) {
      ops.report("reached_max_restart_intensity", c, c.lastExit);
      return Next.stop(ExitReason.SHUTDOWN, this);
    }
    switch (ops.call(c.spec, flags.extraArguments())) {
      case ChildOps.Started s -> run(c, s);
      case ChildOps.Ignored i -> children.remove(c); // DYN-03: dropped
      case ChildOps.Failed f -> {
        ops.report("start_error", c, f.reason());
        c.lastExit = f.reason();
        ops.scheduleRetry(c);
      }
    }
    return Next.noreply(this);
  }

  @Override
  public void terminate(ExitReason reason, DynamicSupervisorServer state) {
    if (ops != null) {
      List<Child> running = new ArrayList<>(children);
      byRef.clear();
      byPid.clear();
      ops.shutdownTogether(running); // DYN-04: all at once
    }
  }
}
