// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.coppice.core.AttachedProcess;
import dev.coppice.core.Down;
import dev.coppice.core.Exit;
import dev.coppice.core.ExitReason;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.CallException;
import dev.coppice.core.genserver.OnStart;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.ManualTicker;
import dev.coppice.testkit.PropertyBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * A real supervisor stepped alongside a pure model of OTP's rules, on the virtual clock, once per
 * strategy (SUP-05, SUP-07..SUP-10, SUP-12, SUP-14..SUP-16).
 *
 * <p>Actions: start a child of each restart type (under a fresh or a taken id), end a running child
 * with each kind of exit reason ({@code normal}, {@code shutdown}, {@code {shutdown, T}}, a crash,
 * a kill), terminate, restart or delete a child (or an unknown id), make the next one or two starts
 * of an id fail (SUP-13: an automatic restart whose start fails is retried as a restart of that
 * child's strategy group, counted against the intensity; the group's later members stay not
 * running until it starts), and advance the {@link ManualTicker}. Every child appends to a shared log when it starts ("start c1 &lt;0.7&gt;") and
 * when its supervisor shuts it down ("stop c1"), so the log records exactly which children were
 * stopped and started, and in which order.
 *
 * <p>After every step: the log entries the step produced are exactly the model's (the strategy's
 * siblings stopped last-started first, then restarted in start order, and nobody else); {@link
 * Supervisor#whichChildren()} lists the model's children, newest first, each running as the pid it
 * logged at its last start or not running, once no retry is pending (an answer given between two
 * attempts may show only the child whose start failed as restarting: its group's other members
 * are not running, as in OTP); every management call answered as the model says; and
 * the supervisor is alive exactly when the model's restart intensity was not exceeded (then it
 * exits with {@code shutdown} after stopping its children in reverse start order). At the end a
 * live supervisor is stopped and must stop its children in reverse start order too.
 */
class SupervisorProperties {
  private static final int IDS = 6;
  private static final Duration WAIT = Duration.ofSeconds(5);

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void supervisor_randomActions_matchModel(Strategy strategy) {
    PropertyBudget budget =
        PropertyBudget.of("SupervisorProperties " + strategy, 10_000, Duration.ofSeconds(9));
    boolean echo = LogCapture.echo(false); // crashes are the point: thousands of them
    try {
      qt().withExamples(budget.examples())
          .withTestingTime(budget.testingMillis(), TimeUnit.MILLISECONDS)
          .withShrinkCycles(budget.shrinkCycles())
          .forAll(scenarios(strategy))
          .checkAssert(s -> budget.check(s, x -> run(x, budget)));
    } finally {
      LogCapture.echo(echo);
    }
    budget.report();
    budget.requireCovered(
        "restart",
        "reached intensity",
        "start",
        "AlreadyStarted",
        "AlreadyPresent",
        "ghost",
        "advance",
        "stopped at the end",
        "start failed",
        "retry",
        "seen restarting");
  }

  // ------------------------------------------------------------------ scenarios

  enum Kind {
    /** Does nothing: what the shrinker turns a step into when it does not matter. */
    NOOP,
    START,
    EXIT,
    TERMINATE,
    RESTART,
    DELETE,
    ADVANCE,
    /** The next one or two starts of id c{a} fail. */
    BREAK
  }

  /** How the property ends a running child. */
  enum How {
    NORMAL,
    SHUTDOWN,
    SHUTDOWN_DETAIL,
    CRASH,
    KILL
  }

  /**
   * One step. {@code a} picks a child: for EXIT the a-th running child, for TERMINATE, RESTART and
   * DELETE the a-th child or, one past the last, an id no child has; for START the id c{a}. {@code
   * b} is the restart type of START, the {@link How} of EXIT, and half-seconds for ADVANCE.
   */
  record Action(Kind kind, int a, int b) {
    @Override
    public String toString() {
      return switch (kind) {
        case NOOP -> "noop";
        case START -> "start(c" + a + ", " + Restart.values()[b % 3] + ")";
        case EXIT -> "exit(running #" + a + ", " + How.values()[b % 5] + ")";
        case TERMINATE -> "terminate(#" + a + ")";
        case RESTART -> "restart(#" + a + ")";
        case DELETE -> "delete(#" + a + ")";
        case ADVANCE -> "advance(" + b * 500 + " ms)";
        case BREAK -> "break(c" + a + ", next " + (1 + b % 2) + " starts)";
      };
    }
  }

  record Scenario(
      Strategy strategy,
      int intensity,
      int periodSeconds,
      List<Restart> initial,
      List<Action> actions) {
    @Override
    public String toString() {
      StringBuilder steps = new StringBuilder();
      for (int i = 0; i < actions.size(); i++) {
        if (actions.get(i).kind() != Kind.NOOP) {
          steps
              .append(steps.isEmpty() ? "" : ", ")
              .append(i + 1)
              .append(':')
              .append(actions.get(i));
        }
      }
      return strategy
          + " intensity "
          + intensity
          + " in "
          + periodSeconds
          + " s, children "
          + initial
          + ", steps ["
          + steps
          + "] ("
          + actions.size()
          + " steps, the others noop)";
    }
  }

  static Gen<Action> action() {
    return in -> {
      int roll = (int) in.next(Constraint.between(0, 21));
      Kind kind =
          switch (roll) {
            case 0 -> Kind.NOOP;
            case 1, 2, 3 -> Kind.START;
            case 4, 5, 6, 7, 8, 9 -> Kind.EXIT;
            case 10, 11 -> Kind.TERMINATE;
            case 12, 13 -> Kind.RESTART;
            case 14 -> Kind.DELETE;
            case 20, 21 -> Kind.BREAK;
            default -> Kind.ADVANCE;
          };
      int a = (int) in.next(Constraint.between(0, IDS - 1));
      int b = (int) in.next(Constraint.between(0, 14));
      return new Action(kind, a, kind == Kind.ADVANCE ? b % 8 : b);
    };
  }

  static Gen<Scenario> scenarios(Strategy strategy) {
    Gen<List<Restart>> initial =
        lists()
            .of(in -> Restart.values()[(int) in.next(Constraint.between(0, 2))])
            .ofSizeBetween(0, 4);
    Gen<List<Action>> actions = lists().of(action()).ofSizeBetween(1, 30);
    return in -> {
      int intensity = (int) in.next(Constraint.between(0, 4));
      int period = (int) in.next(Constraint.between(1, 4));
      return new Scenario(strategy, intensity, period, initial.generate(in), actions.generate(in));
    };
  }

  // ------------------------------------------------------------------ children

  /** One line of the children's log: "start" with the child's pid, or "stop". */
  record Entry(String what, String id, Pid pid) {
    @Override
    public String toString() {
      return what + " " + id;
    }
  }

  /** A child is set up (trapping exits) and has logged its start. */
  private record Ack(Pid pid) {}

  /** Tells a child to end with {@code how}. */
  private record Die(How how) {}

  private static StartFunction child(
      String id, ConcurrentLinkedQueue<Entry> log, ConcurrentHashMap<String, AtomicInteger> failing) {
    return () -> {
      AtomicInteger left = failing.computeIfAbsent(id, k -> new AtomicInteger());
      if (left.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
        return new OnStart.Failed<>(ExitReason.other("broken by the property"));
      }
      Pid sup = Processes.self();
      Pid pid = Processes.spawnLink(() -> body(id, sup, log));
      Ack ack = Processes.receive(Ack.class, x -> x.pid() == pid, WAIT);
      if (ack == null) {
        return new OnStart.Failed<>(ExitReason.other("no ack from " + id));
      }
      return new OnStart.Ok<>(pid);
    };
  }

  private static void body(String id, Pid sup, ConcurrentLinkedQueue<Entry> log) {
    Processes.trapExits(true);
    Pid me = Processes.self();
    log.add(new Entry("start", id, me));
    Processes.send(sup, new Ack(me));
    for (; ; ) {
      Object m = Processes.receive();
      if (m instanceof Die d) {
        switch (d.how()) {
          case NORMAL -> throw Processes.exit(ExitReason.NORMAL);
          case SHUTDOWN -> throw Processes.exit(ExitReason.SHUTDOWN);
          case SHUTDOWN_DETAIL -> throw Processes.exit(ExitReason.shutdown("detail"));
          case CRASH -> throw new IllegalStateException("crash requested by the property");
          case KILL -> throw new IllegalStateException("kills come as signals");
        }
      }
      if (m instanceof Exit e && e.from() == sup) { // the supervisor shuts us down
        log.add(new Entry("stop", id, null));
        throw Processes.exit(e.reason());
      }
    }
  }

  // ------------------------------------------------------------------ the model

  static final class MChild {
    final String id;
    final Restart restart;
    boolean running = true;
    Pid pid;

    MChild(String id, Restart restart) {
      this.id = id;
      this.restart = restart;
    }

    @Override
    public String toString() {
      return id
          + "("
          + restart.name().toLowerCase(Locale.ROOT)
          + (running ? ", " + pid : ", stopped")
          + ")";
    }
  }

  /** OTP's rules over the children in start order, written independently of the library. */
  static final class Model {
    final PropertyBudget budget;
    final Strategy strategy;
    final int intensity;
    final long periodNanos;
    final List<MChild> children = new ArrayList<>();
    final List<Long> restarts = new ArrayList<>();
    /** How many of the next starts of each id fail. */
    final Map<String, Integer> failNext = new HashMap<>();

    /** The log entries the current step must produce, without pids. */
    final List<String> expectedLog = new ArrayList<>();

    boolean alive = true;

    Model(Scenario s, PropertyBudget budget) {
      this.budget = budget;
      strategy = s.strategy();
      intensity = s.intensity();
      periodNanos = Duration.ofSeconds(s.periodSeconds()).toNanos();
    }

    MChild byId(String id) {
      return children.stream().filter(c -> c.id.equals(id)).findFirst().orElse(null);
    }

    void start(MChild c) {
      budget.cover("start");
      c.running = true;
      expectedLog.add("start " + c.id);
    }

    /** {@return true if this start of {@code id} fails (it was broken), using one failure up} */
    boolean startFails(String id) {
      int left = failNext.getOrDefault(id, 0);
      if (left == 0) {
        return false;
      }
      failNext.put(id, left - 1);
      budget.cover("start failed");
      return true;
    }

    void stop(MChild c) {
      if (c.running) {
        expectedLog.add("stop " + c.id);
      }
      c.running = false;
    }

    /** Child {@code c} ended by itself with {@code how} at ticker time {@code now}. */
    void exited(MChild c, How how, long now) {
      c.running = false;
      boolean quiet = how == How.NORMAL || how == How.SHUTDOWN || how == How.SHUTDOWN_DETAIL;
      boolean restart =
          c.restart == Restart.PERMANENT || (c.restart == Restart.TRANSIENT && !quiet);
      if (!restart) {
        if (c.restart == Restart.TEMPORARY) {
          children.remove(c);
        }
        return;
      }
      restart(c, now);
    }

    /**
     * One automatic restart of {@code c} with its strategy group, counted against the intensity;
     * if a member's start fails, the next attempt is a restart of that member with its own group
     * (OTP's try_again_restart), until all start or the intensity is exceeded.
     */
    private void restart(MChild c, long now) {
      for (MChild next = attempt(c, now, "restart"); next != null; ) {
        next = attempt(next, now, "retry");
      }
    }

    /** {@return the member whose start failed, to retry, or null} */
    private MChild attempt(MChild c, long now, String label) {
      restarts.removeIf(t -> now - t >= periodNanos);
      if (restarts.size() + 1 > intensity) { // too many: stop everyone, newest first, and exit
        for (int i = children.size() - 1; i >= 0; i--) {
          stop(children.get(i));
        }
        alive = false;
        return null;
      }
      restarts.add(now);
      budget.cover(label);
      int from = strategy == Strategy.ONE_FOR_ALL ? 0 : children.indexOf(c);
      if (strategy != Strategy.ONE_FOR_ONE) { // stop the siblings, newest first
        for (int i = children.size() - 1; i >= from; i--) {
          MChild m = children.get(i);
          if (m != c) {
            stop(m);
            if (m.restart == Restart.TEMPORARY) {
              children.remove(i);
            }
          }
        }
      }
      List<MChild> group =
          switch (strategy) {
            case ONE_FOR_ONE -> List.of(c);
            case REST_FOR_ONE ->
                List.copyOf(children.subList(children.indexOf(c), children.size()));
            case ONE_FOR_ALL -> List.copyOf(children);
          };
      for (MChild m : group) { // every member starts again, stopped ones too, in start order
        if (startFails(m.id)) {
          return m; // it is restarting; the rest of the group stays not running
        }
        start(m);
      }
      return null;
    }
  }

  // ------------------------------------------------------------------ one sequence

  static void run(Scenario s, PropertyBudget budget) {
    LogCapture.clear(); // crashes and supervisor reports are logged on purpose
    Node node = Node.start();
    AttachedProcess driver = node.attach();
    try {
      new Run(s, budget).go();
    } finally {
      try {
        driver.close();
      } finally {
        node.close();
      }
    }
    assertEquals(List.of(), node.liveThreads(), "process threads outlived the node");
  }

  /** One scenario against a real supervisor. */
  static final class Run {
    final Scenario s;
    final PropertyBudget budget;
    final Model model;
    final ManualTicker ticker = new ManualTicker();
    final ConcurrentLinkedQueue<Entry> log = new ConcurrentLinkedQueue<>();
    /** How many of the next starts of each id fail, read by the start functions. */
    final ConcurrentHashMap<String, AtomicInteger> failing = new ConcurrentHashMap<>();
    final StringBuilder trace = new StringBuilder();
    Supervisor sup;
    MonitorRef supRef;
    int step;

    Run(Scenario s, PropertyBudget budget) {
      this.s = s;
      this.budget = budget;
      this.model = new Model(s, budget);
    }

    private void cover(String label) {
      budget.cover(label);
    }

    private AssertionError fail(String what) {
      return new AssertionError(
          what + "\nat step " + step + " of:\n" + trace + "model: " + model.children);
    }

    private void expect(Object expected, Object actual, String what) {
      if (!Objects.equals(expected, actual)) {
        throw fail(what + ": expected " + expected + " but was " + actual);
      }
    }

    void go() {
      List<ChildSpec> specs = new ArrayList<>();
      for (int i = 0; i < s.initial().size(); i++) {
        MChild c = new MChild("c" + i, s.initial().get(i));
        specs.add(ChildSpec.worker(c.id, child(c.id, log, failing)).withRestart(c.restart));
        model.children.add(c);
        model.start(c);
      }
      SupervisorFlags flags =
          SupervisorFlags.of(s.strategy())
              .withIntensity(s.intensity(), Duration.ofSeconds(s.periodSeconds()))
              .withTicker(ticker);
      sup = Supervisor.start(node(), flags, specs).orElseThrow();
      supRef = Processes.monitor(sup.pid());
      trace.append("0. start ").append(model.children).append('\n');
      check();
      for (Action a : s.actions()) {
        step++;
        if (a.kind() == Kind.NOOP) {
          continue;
        }
        trace.append(step).append(". ").append(a).append(" ⇒ ");
        act(a);
        trace.append('\n');
        check();
        if (!model.alive) {
          cover("reached intensity");
          return;
        }
      }
      trace.append("end. stop the supervisor\n");
      for (int i = model.children.size() - 1; i >= 0; i--) {
        model.stop(model.children.get(i));
      }
      sup.stop();
      cover("stopped at the end");
      Down d = Processes.receive(Down.class, x -> x.ref() == supRef, WAIT);
      expect(ExitReason.NORMAL, d == null ? null : d.reason(), "the stopped supervisor's reason");
      checkLog();
    }

    private static Node node() {
      return Processes.node();
    }

    void act(Action a) {
      List<MChild> kids = model.children;
      switch (a.kind()) {
        case START -> {
          String id = "c" + a.a();
          Restart r = Restart.values()[a.b() % 3];
          MChild existing = model.byId(id);
          StartChildResult got;
          try {
            got = sup.startChild(ChildSpec.worker(id, child(id, log, failing)).withRestart(r));
          } catch (ChildStartException e) {
            trace.append("failed");
            if (existing != null || !model.startFails(id)) {
              throw fail("startChild(" + id + ") failed: " + e.getMessage());
            }
            return; // the spec is not kept
          }
          trace.append(got);
          cover(got.getClass().getSimpleName());
          if (existing != null) {
            expect(
                existing.running
                    ? new StartChildResult.AlreadyStarted(existing.pid)
                    : new StartChildResult.AlreadyPresent(),
                got,
                "startChild(" + id + ")");
          } else {
            if (!(got instanceof StartChildResult.Started) || model.startFails(id)) {
              throw fail("startChild(" + id + ") gave " + got);
            }
            MChild c = new MChild(id, r);
            kids.add(c);
            model.start(c);
          }
        }
        case EXIT -> {
          List<MChild> running = kids.stream().filter(c -> c.running).toList();
          if (running.isEmpty()) {
            trace.append("skip (none running)");
            return;
          }
          MChild c = running.get(a.a() % running.size());
          How how = How.values()[a.b() % 5];
          trace.append(c.id).append(' ').append(how);
          // a fresh monitor fires after the supervisor's, so its Down is queued there first
          MonitorRef ref = Processes.monitor(c.pid);
          if (how == How.KILL) {
            Processes.exit(c.pid, ExitReason.KILL);
          } else {
            Processes.send(c.pid, new Die(how));
          }
          if (Processes.receive(Down.class, x -> x.ref() == ref, WAIT) == null) {
            throw fail(c.id + " did not end");
          }
          model.exited(c, how, ticker.read());
        }
        case TERMINATE, RESTART, DELETE -> {
          MChild c =
              a.a() % (kids.size() + 1) == kids.size() ? null : kids.get(a.a() % (kids.size() + 1));
          String id = c == null ? "ghost" : c.id;
          if (c == null) {
            cover("ghost");
          }
          trace.append(id);
          switch (a.kind()) {
            case TERMINATE -> {
              boolean got = sup.terminateChild(id);
              expect(c != null, got, "terminateChild(" + id + ")");
              if (c != null) {
                model.stop(c);
                if (c.restart == Restart.TEMPORARY) {
                  kids.remove(c);
                }
              }
            }
            case RESTART -> {
              RestartChildResult got;
              try {
                got = sup.restartChild(id);
              } catch (ChildStartException e) {
                trace.append(" failed");
                if (c == null || c.running || !model.startFails(id)) {
                  throw fail("restartChild(" + id + ") failed: " + e.getMessage());
                }
                return; // it stays not running
              }
              trace.append(' ').append(got);
              if (c == null) {
                expect(new RestartChildResult.NotFound(), got, "restartChild(" + id + ")");
              } else if (c.running) {
                expect(new RestartChildResult.Running(), got, "restartChild(" + id + ")");
              } else {
                if (!(got instanceof RestartChildResult.Restarted) || model.startFails(id)) {
                  throw fail("restartChild(" + id + ") gave " + got);
                }
                model.start(c);
              }
            }
            default -> {
              DeleteChildResult got = sup.deleteChild(id);
              trace.append(' ').append(got);
              if (c == null) {
                expect(DeleteChildResult.NOT_FOUND, got, "deleteChild(" + id + ")");
              } else if (c.running) {
                expect(DeleteChildResult.RUNNING, got, "deleteChild(" + id + ")");
              } else {
                expect(DeleteChildResult.DELETED, got, "deleteChild(" + id + ")");
                kids.remove(c);
              }
            }
          }
        }
        case ADVANCE -> {
          ticker.advance(Duration.ofMillis(a.b() * 500L));
          cover("advance");
          trace.append("now ").append((ticker.read() - 1_000_000_000L) / 1_000_000).append(" ms");
        }
        case BREAK -> {
          String id = "c" + a.a();
          int n = 1 + a.b() % 2;
          failing.computeIfAbsent(id, k -> new AtomicInteger()).addAndGet(n);
          model.failNext.merge(id, n, Integer::sum);
          trace.append(id).append(" fails ").append(model.failNext.get(id)).append(" more");
        }
        case NOOP -> {}
      }
    }

    /**
     * {@return the children once no retry is pending, or null if the supervisor failed the call}
     * A retry is a message the supervisor sends itself, so a call may be answered between two
     * attempts: it is asked again until nobody is restarting.
     */
    private List<ChildInfo> settled() {
      long deadline = System.nanoTime() + WAIT.toNanos();
      for (; ; ) {
        List<ChildInfo> children;
        try {
          children = sup.whichChildren();
        } catch (CallException e) {
          return null;
        }
        long restarting =
            children.stream().filter(c -> c.status() instanceof ChildStatus.Restarting).count();
        if (restarting == 0) {
          return children;
        }
        cover("seen restarting");
        if (restarting > 1) { // one retry loop at a time here; its group waits as undefined
          throw fail("only the child whose start failed may be restarting, as OTP: " + children);
        }
        if (System.nanoTime() - deadline > 0) {
          throw fail("still restarting after " + WAIT + ": " + children);
        }
      }
    }

    void check() {
      if (!model.alive) {
        // a call is answered after everything queued before it: by a live supervisor, so that
        // one answering is alive for good; one that exits fails the call
        List<ChildInfo> children = settled();
        if (children != null) {
          throw fail(
              "the model's intensity was exceeded, but the supervisor is alive: " + children);
        } // else it is exiting or gone: it stopped its children and exits with shutdown
        Down d = Processes.receive(Down.class, x -> x.ref() == supRef, WAIT);
        if (d == null) {
          throw fail("the supervisor failed a call but did not exit");
        }
        expect(ExitReason.SHUTDOWN, d.reason(), "the supervisor's exit reason");
        checkLog();
        return;
      }
      List<ChildInfo> real = settled(); // answered after it handled everything before it
      if (real == null) {
        throw fail("the supervisor died, though the model's intensity was not exceeded");
      }
      checkLog();
      List<String> ids = new ArrayList<>();
      for (int i = model.children.size() - 1; i >= 0; i--) {
        ids.add(model.children.get(i).id);
      }
      expect(ids, real.stream().map(ChildInfo::id).toList(), "whichChildren ids, newest first");
      for (ChildInfo info : real) {
        MChild c = model.byId(info.id());
        ChildStatus want = c.running ? new ChildStatus.Running(c.pid) : ChildStatus.NOT_RUNNING;
        expect(want, info.status(), "the status of " + c.id);
      }
    }

    /** The log entries since the last check are exactly the model's, in order. */
    void checkLog() {
      List<Entry> got = new ArrayList<>();
      for (Entry e; (e = log.poll()) != null; ) {
        got.add(e);
      }
      expect(
          model.expectedLog,
          got.stream().map(Entry::toString).toList(),
          "what was stopped and started, in order");
      for (Entry e : got) {
        MChild c = model.byId(e.id());
        if (e.what().equals("start") && c != null) { // learn the pid it runs as now
          if (e.pid() == c.pid) {
            throw fail(c.id + " restarted with its old pid");
          }
          c.pid = e.pid();
        }
      }
      if (!got.isEmpty()) {
        trace.append("   log ").append(model.expectedLog);
      }
      model.expectedLog.clear();
    }
  }
}
