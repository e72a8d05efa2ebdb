// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

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
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.PropertyBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * Table ownership against a pure model: random action sequences over a small world of processes and
 * tables, with every step checked against the model (ETS-03..ETS-14, ETS-28).
 *
 * <p>The world's processes are <em>agents</em>: processes that trap exits, are linked to and
 * monitor every other agent, run the table operations the driver (the test thread) sends them, and
 * keep every other message they receive (transfers, exits, downs) in arrival order. Each sequence
 * runs on a fresh {@link Node}, closed afterwards, with no thread left behind.
 *
 * <p>After every step the property checks, for every table ever created: whether it exists, its
 * owner, heir, type, access and name ({@link OwnedTable#info()}), its exact contents (read by its
 * owner), which table each name leads to ({@link Tables#whereis}); that the operation was allowed
 * or refused exactly as the access rules say (a refused one changed nothing: the contents and the
 * ownership checks that follow would show it); and, for every agent, that it received exactly the
 * {@link TableTransfer}s the model expects, from the right sender with the right data, and that a
 * transfer from an agent that has died arrived before that agent's {@link Exit} and {@link Down}.
 */
class OwnershipProperties {
  private static final int MAX_AGENTS = 5;
  private static final int MAX_TABLES = 6;
  private static final int KEYS = 3;
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final List<TableName<Integer, Integer>> NAMES =
      List.of(new TableName<>("n0"), new TableName<>("n1"));

  @Test
  void ownership_randomActions_matchModel() {
    PropertyBudget budget = PropertyBudget.of("OwnershipProperties", 8_000, Duration.ofSeconds(18));
    boolean echo = LogCapture.echo(false); // crashes are the point: thousands of them
    try {
      qt().withExamples(budget.examples())
          .withTestingTime(budget.testingMillis(), TimeUnit.MILLISECONDS)
          .withShrinkCycles(budget.shrinkCycles())
          .forAll(steps())
          .checkAssert(steps -> budget.check(steps, x -> runSequence(x, budget)));
    } finally {
      LogCapture.echo(echo);
    }
    budget.report();
    budget.requireCovered(
        "inherited",
        "deletedWithOwner",
        "GIVE_AWAY ok",
        "GIVE_AWAY badarg",
        "INSERT denied",
        "LOOKUP denied",
        "DELETE_TABLE denied",
        "INSERT noTable",
        "SET_HEIR ok",
        "CREATE badarg",
        "transferBeforeExitAndDown");
  }

  // ------------------------------------------------------------------ actions

  enum Kind {
    /** Does nothing: what the shrinker turns a step into when the step does not matter. */
    NOOP(1),
    INSERT(10),
    INSERT_LIST(5),
    DELETE_KEY(5),
    LOOKUP(6),
    TAKE(5),
    SPAWN(5),
    CREATE(10),
    GIVE_AWAY(12),
    SET_HEIR(7),
    CLEAR_HEIR(3),
    END(7),
    DELETE_TABLE(3);

    final int weight;

    Kind(int weight) {
      this.weight = weight;
    }

    static final int TOTAL = Arrays.stream(values()).mapToInt(k -> k.weight).sum();

    static Kind roll(int r) {
      for (Kind k : values()) {
        if (r < k.weight) {
          return k;
        }
        r -= k.weight;
      }
      throw new IllegalArgumentException("roll " + r);
    }
  }

  enum How {
    NORMAL,
    CRASH,
    KILL
  }

  /**
   * One step, as the generator drew it. Processes and tables are named by small numbers that are
   * resolved against the world when the step runs (see {@link World}); {@link #toString()} reads as
   * the intent, and the failure message adds a trace of what each step resolved to.
   *
   * <ul>
   *   <li>{@code by}: 0 and 1 mean the table's owner (when alive), 2 "other": a live agent that is
   *       not the owner, n ≥ 3 agent p(n-3), or the next live one if it is dead.
   *   <li>{@code to} (give-away target, heir): 0 the owner, 1 the heir (or "other" if none), 2
   *       "other" as above, n ≥ 3 agent p(n-3) even if dead, so live, dead, self and owner all
   *       occur.
   * </ul>
   */
  record Action(Kind kind, int a, int b, int c, int d, int e) {
    @Override
    public String toString() {
      return switch (kind) {
        case NOOP -> "noop";
        case INSERT -> "insert(" + by(a) + ", t" + b + ", " + c % KEYS + "=" + d + ")";
        case INSERT_LIST ->
            "insertList("
                + by(a)
                + ", t"
                + b
                + ", {"
                + c % KEYS
                + "="
                + d
                + ", "
                + (c + 1) % KEYS
                + "="
                + (d + 1)
                + "})";
        case DELETE_KEY -> "delete(" + by(a) + ", t" + b + ", " + c % KEYS + ")";
        case LOOKUP -> "lookup(" + by(a) + ", t" + b + ", " + c % KEYS + ")";
        case TAKE -> "take(" + by(a) + ", t" + b + ", " + c % KEYS + ")";
        case SPAWN -> "spawn";
        case CREATE ->
            "create(by p"
                + a
                + ", "
                + TableType.values()[b % 4]
                + ", "
                + Access.values()[c % 3]
                + ", heir="
                + (d == 0 ? "none" : d == 1 ? "self" : to(d))
                + ", name="
                + (e % 3 == 0 ? "-" : NAMES.get(e % 3 - 1))
                + ")";
        case GIVE_AWAY -> "giveAway(" + by(a) + ", t" + b + ", to=" + to(c) + ")";
        case SET_HEIR -> "setHeir(" + by(a) + ", t" + b + ", heir=" + to(c) + ")";
        case CLEAR_HEIR -> "clearHeir(" + by(a) + ", t" + b + ")";
        case END ->
            "end("
                + (c == 0 ? "owner of t" + b : c == 1 ? "heir of t" + b : "p" + a)
                + ", "
                + How.values()[d % 3]
                + ")";
        case DELETE_TABLE -> "deleteTable(" + by(a) + ", t" + b + ")";
      };
    }

    private static String by(int n) {
      return n < 2 ? "by owner" : n == 2 ? "by other" : "by p" + (n - 3);
    }

    private static String to(int n) {
      return n == 0 ? "owner" : n == 1 ? "heir" : n == 2 ? "other" : "p" + (n - 3);
    }
  }

  /** A generated sequence; prints the steps that do something, numbered as they ran. */
  record Steps(List<Action> actions) {
    @Override
    public String toString() {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < actions.size(); i++) {
        if (actions.get(i).kind() != Kind.NOOP) {
          out.append(out.isEmpty() ? "" : ", ").append(i + 1).append(':').append(actions.get(i));
        }
      }
      return "[" + out + "] (" + actions.size() + " steps, the others noop)";
    }
  }

  static Gen<Steps> steps() {
    return lists().of(action()).ofSizeBetween(1, 40).map(Steps::new);
  }

  static Gen<Action> action() {
    return in -> {
      Kind kind = Kind.roll((int) in.next(Constraint.between(0, Kind.TOTAL - 1)));
      int a = (int) in.next(Constraint.between(0, MAX_AGENTS + 2));
      int b = (int) in.next(Constraint.between(0, MAX_TABLES - 1));
      int c = (int) in.next(Constraint.between(0, MAX_AGENTS + 2));
      int d = (int) in.next(Constraint.between(0, MAX_AGENTS + 2));
      int e = (int) in.next(Constraint.between(0, 5));
      return new Action(kind, a, b, c, d, e);
    };
  }

  // ------------------------------------------------------------------ outcomes

  /** What an operation gave back: a value, or which refusal. */
  record Outcome(String kind, Object value) {
    static final Outcome DENIED = new Outcome("denied", null);
    static final Outcome NO_TABLE = new Outcome("noTable", null);
    static final Outcome BADARG = new Outcome("badarg", null);

    static Outcome ok(Object value) {
      return new Outcome("ok", value);
    }

    boolean isOk() {
      return kind.equals("ok");
    }

    @Override
    public String toString() {
      return isOk() ? (value == null ? "ok" : "ok " + value) : kind;
    }
  }

  /** Runs a table operation in the calling agent and turns the refusals into outcomes. */
  static Outcome attempt(Supplier<Object> op) {
    try {
      return Outcome.ok(op.get());
    } catch (TableAccessException e) {
      return Outcome.DENIED;
    } catch (NoSuchTableException e) {
      return Outcome.NO_TABLE;
    } catch (IllegalArgumentException e) {
      return Outcome.BADARG;
    }
  }

  // ------------------------------------------------------------------ agents

  private record Job(long id, Supplier<?> fn) {}

  private record Result(long id, Object value, RuntimeException failure) {}

  private record LogSince(long id, int from) {}

  private record Quit(boolean crash) {}

  private static final AtomicLong JOB_IDS = new AtomicLong();

  /** An agent's body: run jobs for the driver, keep every other message in arrival order. */
  private static void agentLoop(Pid driver) {
    Processes.trapExits(true);
    List<Object> log = new ArrayList<>();
    for (; ; ) {
      Object m = Processes.receive();
      switch (m) {
        case Job j -> {
          Object value = null;
          RuntimeException failure = null;
          try {
            value = j.fn().get();
          } catch (RuntimeException ex) { // reported to the driver, which fails the property
            failure = ex;
          }
          Processes.send(driver, new Result(j.id(), value, failure));
        }
        case LogSince l ->
            Processes.send(
                driver, new Result(l.id(), List.copyOf(log.subList(l.from(), log.size())), null));
        case Quit q -> {
          if (q.crash()) {
            throw new IllegalStateException("crash requested by the property");
          }
          return;
        }
        default -> log.add(m);
      }
    }
  }

  /** The driver's side of an agent, and the model's view of it. */
  static final class Agent {
    final String name;
    final Pid pid;
    boolean alive = true;

    /** Transfers the model expects this agent to receive at the current step. */
    final List<String> expectedNow = new ArrayList<>();

    /** Every message it kept, in arrival order, as far as the driver has fetched them. */
    final List<Object> log = new ArrayList<>();

    Agent(String name, Pid pid) {
      this.name = name;
      this.pid = pid;
    }

    @Override
    public String toString() {
      return name + (alive ? "" : "(dead)");
    }
  }

  /** Runs {@code fn} in {@code agent} and returns what it returned. */
  @SuppressWarnings("unchecked")
  static <T> T call(Agent agent, Supplier<T> fn) {
    long id = JOB_IDS.incrementAndGet();
    Processes.send(agent.pid, new Job(id, fn));
    Result r = Processes.receive(Result.class, x -> x.id() == id, WAIT);
    if (r == null) {
      throw new AssertionError(agent + " did not answer within " + WAIT);
    }
    if (r.failure() != null) {
      throw new AssertionError(agent + " failed unexpectedly: " + r.failure(), r.failure());
    }
    return (T) r.value();
  }

  @SuppressWarnings("unchecked")
  static List<Object> newLog(Agent agent) {
    long id = JOB_IDS.incrementAndGet();
    Processes.send(agent.pid, new LogSince(id, agent.log.size()));
    Result r = Processes.receive(Result.class, x -> x.id() == id, WAIT);
    if (r == null) {
      throw new AssertionError(agent + " did not answer within " + WAIT);
    }
    return (List<Object>) r.value();
  }

  // ------------------------------------------------------------------ the model's tables

  static final class MTable {
    final String label;
    final OwnedTable<Integer, Integer> handle;
    final TableType type;
    final Access access;
    final TableName<Integer, Integer> name;
    Agent owner;
    Agent heir; // as recorded; may have died
    String heirData;
    long ownedSince;
    boolean deleted;
    final TreeMap<Integer, List<Integer>> contents = new TreeMap<>();

    MTable(
        String label,
        OwnedTable<Integer, Integer> handle,
        TableType type,
        Access access,
        TableName<Integer, Integer> name) {
      this.label = label;
      this.handle = handle;
      this.type = type;
      this.access = access;
      this.name = name;
    }

    boolean mayRead(Agent who) {
      return access != Access.PRIVATE || who == owner;
    }

    boolean mayWrite(Agent who) {
      return access == Access.PUBLIC || who == owner;
    }

    void put(int k, int v) {
      List<Integer> vs = contents.computeIfAbsent(k, x -> new ArrayList<>());
      switch (type) {
        case SET, ORDERED_SET -> {
          vs.clear();
          vs.add(v);
        }
        case BAG -> {
          if (!vs.contains(v)) {
            vs.add(v);
          }
        }
        case DUPLICATE_BAG -> vs.add(v);
      }
    }

    List<Integer> values(int k) {
      return List.copyOf(contents.getOrDefault(k, List.of()));
    }

    @Override
    public String toString() {
      return label;
    }
  }

  static OwnedTable<Integer, Integer> newTable(
      TableType type, Access access, Pid heir, String heirData, TableName<Integer, Integer> name) {
    if (type == TableType.SET || type == TableType.ORDERED_SET) {
      Table.Builder<Integer, Integer> b =
          Table.<Integer, Integer>builder().type(type).access(access);
      if (heir != null) {
        b.heir(heir, heirData);
      }
      if (name != null) {
        b.named(name);
      }
      return b.create();
    }
    BagTable.Builder<Integer, Integer> b =
        BagTable.<Integer, Integer>builder().type(type).access(access);
    if (heir != null) {
      b.heir(heir, heirData);
    }
    if (name != null) {
      b.named(name);
    }
    return b.create();
  }

  static List<Integer> lookup(OwnedTable<Integer, Integer> t, int k) {
    return switch (t) {
      case Table<Integer, Integer> s -> s.lookup(k).map(List::of).orElse(List.of());
      case BagTable<Integer, Integer> bag -> bag.lookup(k);
    };
  }

  static List<Integer> take(OwnedTable<Integer, Integer> t, int k) {
    return switch (t) {
      case Table<Integer, Integer> s -> s.take(k).map(List::of).orElse(List.of());
      case BagTable<Integer, Integer> bag -> bag.take(k);
    };
  }

  // ------------------------------------------------------------------ one sequence

  static void runSequence(Steps steps, PropertyBudget budget) {
    LogCapture.clear(); // crashes are logged on purpose; keep the capture small
    Node node = Node.start();
    AttachedProcess driver = node.attach();
    try {
      World w = new World(node, budget);
      w.trace.append("0. spawn ⇒ ");
      w.spawn();
      w.trace.append(", ");
      w.spawn();
      w.trace.append('\n');
      w.check();
      for (Action a : steps.actions()) {
        w.step++;
        if (a.kind() == Kind.NOOP) {
          continue;
        }
        w.trace.append(w.step).append(". ").append(a).append(" ⇒ ");
        w.run(a);
        w.trace.append('\n');
        w.check();
      }
    } finally {
      try {
        driver.close();
      } finally {
        node.close();
      }
    }
    assertEquals(List.of(), node.liveThreads(), "process threads outlived the node");
  }

  /** The real world and the model, stepped together. */
  static final class World {
    final Node node;
    final PropertyBudget budget;
    final Pid driver = Processes.self();
    final List<Agent> agents = new ArrayList<>();
    final List<MTable> tables = new ArrayList<>();
    final StringBuilder trace = new StringBuilder();
    int step;
    long ownership;

    World(Node node, PropertyBudget budget) {
      this.node = node;
      this.budget = budget;
    }

    private void cover(String label) {
      budget.cover(label);
    }

    private AssertionError fail(String what) {
      return new AssertionError(what + "\nat step " + step + " of:\n" + trace);
    }

    private void expect(Object expected, Object actual, String what) {
      if (!Objects.equals(expected, actual)) {
        throw fail(what + ": expected " + expected + " but was " + actual);
      }
    }

    List<Agent> live() {
      return agents.stream().filter(x -> x.alive).toList();
    }

    /** Agent number {@code n}, or the next live one after it (wrapping) if it is dead. */
    Agent liveAgent(int n) {
      List<Agent> live = live();
      if (live.isEmpty()) {
        return null;
      }
      int i = n % agents.size();
      for (int j = 0; j < agents.size(); j++) {
        Agent x = agents.get((i + j) % agents.size());
        if (x.alive) {
          return x;
        }
      }
      return null;
    }

    /** The acting agent, see {@link Action}. */
    Agent by(int n, MTable t) {
      if (n < 2 && t != null && !t.deleted && t.owner.alive) {
        return t.owner;
      }
      if (n == 2) {
        Agent other = other(t == null ? null : t.owner);
        if (other != null) {
          return other;
        }
      }
      return liveAgent(Math.max(0, n - 3));
    }

    /** The first live agent that is not {@code owner}, or null. */
    Agent other(Agent owner) {
      return live().stream().filter(x -> x != owner).findFirst().orElse(null);
    }

    /** A target, see {@link Action}; {@code owner} is the table's owner, or the creator. */
    Agent target(int n, Agent owner, Agent heir) {
      if (n == 0) {
        return owner;
      }
      if (n == 1 && heir != null) {
        return heir;
      }
      if (n <= 2) {
        Agent other = other(owner);
        return other != null ? other : owner;
      }
      return agents.get((n - 3) % agents.size());
    }

    MTable table(int n) {
      return tables.isEmpty() ? null : tables.get(n % tables.size());
    }

    // ---------------------------------------------------------------- steps

    void spawn() {
      if (agents.size() == MAX_AGENTS) {
        trace.append("skip (").append(MAX_AGENTS).append(" agents)");
        return;
      }
      Pid me = driver;
      Agent x = new Agent("p" + agents.size(), node.spawn(() -> agentLoop(me)));
      List<Agent> others = live();
      agents.add(x);
      call(
          x,
          () -> {
            for (Agent o : others) {
              Processes.link(o.pid);
              Processes.monitor(o.pid);
            }
            return null;
          });
      for (Agent o : others) {
        call(o, () -> Processes.monitor(x.pid));
      }
      trace.append(x.name);
    }

    void run(Action a) {
      switch (a.kind()) {
        case NOOP -> {}
        case SPAWN -> spawn();
        case CREATE -> create(a);
        case END -> end(a);
        default -> {
          MTable t = table(a.b());
          if (t == null) {
            trace.append("skip (no table)");
            return;
          }
          Agent who = by(a.a(), t);
          if (who == null) {
            trace.append("skip (no live agent)");
            return;
          }
          tableOp(a, t, who);
        }
      }
    }

    void create(Action a) {
      Agent who = liveAgent(a.a());
      if (who == null) {
        trace.append("skip (no live agent)");
        return;
      }
      if (tables.size() == MAX_TABLES) {
        trace.append("skip (").append(MAX_TABLES).append(" tables)");
        return;
      }
      TableType type = TableType.values()[a.b() % 4];
      Access access = Access.values()[a.c() % 3];
      Agent heir = a.d() == 0 ? null : target(a.d() == 1 ? 0 : a.d(), who, null);
      TableName<Integer, Integer> name = a.e() % 3 == 0 ? null : NAMES.get(a.e() % 3 - 1);
      String heirData = "h" + step;
      Pid heirPid = heir == null ? null : heir.pid;
      Outcome got = call(who, () -> attempt(() -> newTable(type, access, heirPid, heirData, name)));
      boolean taken =
          name != null && tables.stream().anyMatch(t -> !t.deleted && name.equals(t.name));
      trace.append(who).append(" creates t").append(tables.size());
      if (taken) {
        trace.append(": ").append(got);
        expect(Outcome.BADARG, got, "creating a table named " + name + ", a name in use");
        cover("CREATE badarg");
        return;
      }
      if (!got.isOk()) {
        throw fail("create by " + who + " failed: " + got);
      }
      @SuppressWarnings("unchecked")
      OwnedTable<Integer, Integer> handle = (OwnedTable<Integer, Integer>) got.value();
      MTable t = new MTable("t" + tables.size(), handle, type, access, name);
      t.owner = who;
      t.ownedSince = ++ownership;
      if (heir != null && heir.alive) {
        t.heir = heir;
        t.heirData = heirData;
      }
      tables.add(t);
      trace.append(" = ").append(handle);
    }

    void tableOp(Action a, MTable t, Agent who) {
      OwnedTable<Integer, Integer> h = t.handle;
      int k = a.c() % KEYS;
      int v = a.d();
      int k2 = (k + 1) % KEYS;
      Outcome expected;
      Outcome got;
      trace.append(who).append(' ');
      switch (a.kind()) {
        case INSERT -> {
          trace.append("insert ").append(t).append(' ').append(k).append('=').append(v);
          got = in(who, () -> h.insert(k, v));
          expected = update(t, who, () -> t.put(k, v));
        }
        case INSERT_LIST -> {
          trace.append("insertList ").append(t).append(" {").append(k).append('=').append(v);
          trace.append(", ").append(k2).append('=').append(v + 1).append('}');
          got = in(who, () -> h.insert(List.of(Map.entry(k, v), Map.entry(k2, v + 1))));
          expected =
              update(
                  t,
                  who,
                  () -> {
                    t.put(k, v);
                    t.put(k2, v + 1);
                  });
        }
        case DELETE_KEY -> {
          trace.append("delete ").append(t).append(' ').append(k);
          got = call(who, () -> attempt(() -> h.delete(k)));
          expected = write(t, who, () -> t.contents.remove(k) != null);
        }
        case LOOKUP -> {
          trace.append("lookup ").append(t).append(' ').append(k);
          got = call(who, () -> attempt(() -> lookup(h, k)));
          expected =
              t.deleted
                  ? Outcome.NO_TABLE
                  : t.mayRead(who) ? Outcome.ok(t.values(k)) : Outcome.DENIED;
        }
        case TAKE -> {
          trace.append("take ").append(t).append(' ').append(k);
          got = call(who, () -> attempt(() -> take(h, k)));
          expected =
              write(
                  t,
                  who,
                  () -> {
                    List<Integer> vs = t.values(k);
                    t.contents.remove(k);
                    return vs;
                  });
        }
        case GIVE_AWAY -> {
          Agent to = target(a.c(), t.owner, t.heir);
          String gift = "g" + step;
          trace.append("giveAway ").append(t).append(" to ").append(to);
          got = in(who, () -> h.giveAway(to.pid, gift));
          if (t.deleted) {
            expected = Outcome.NO_TABLE;
          } else if (who != t.owner) {
            expected = Outcome.DENIED;
          } else if (to == who || !to.alive) {
            expected = Outcome.BADARG;
          } else {
            expected = Outcome.ok(null);
            t.owner = to;
            t.ownedSince = ++ownership;
            to.expectedNow.add(transfer(t, who, gift));
          }
        }
        case SET_HEIR -> {
          Agent heir = target(a.c(), t.owner, t.heir);
          String data = "h" + step;
          trace.append("setHeir ").append(t).append(' ').append(heir);
          got = in(who, () -> h.setHeir(heir.pid, data));
          expected =
              owner(
                  t,
                  who,
                  () -> {
                    t.heir = heir.alive ? heir : null; // a dead heir is recorded as none
                    t.heirData = heir.alive ? data : null;
                  });
        }
        case CLEAR_HEIR -> {
          trace.append("clearHeir ").append(t);
          got = in(who, h::clearHeir);
          expected =
              owner(
                  t,
                  who,
                  () -> {
                    t.heir = null;
                    t.heirData = null;
                  });
        }
        case DELETE_TABLE -> {
          trace.append("deleteTable ").append(t);
          got = in(who, h::delete);
          expected = update(t, who, () -> t.deleted = true);
        }
        default -> throw new IllegalStateException(a.toString());
      }
      trace.append(": ").append(got);
      cover(a.kind() + " " + got.kind());
      expect(expected, got, "the outcome");
    }

    /** Runs a table operation that returns nothing in {@code who}: its outcome. */
    private static Outcome in(Agent who, Runnable op) {
      return call(
          who,
          () ->
              attempt(
                  () -> {
                    op.run();
                    return null;
                  }));
    }

    /** The model of a write that returns nothing. */
    private Outcome update(MTable t, Agent who, Runnable change) {
      return write(
          t,
          who,
          () -> {
            change.run();
            return null;
          });
    }

    /** The model of a write: refused unless the access allows it, else {@code change}. */
    private Outcome write(MTable t, Agent who, Supplier<Object> change) {
      if (t.deleted) {
        return Outcome.NO_TABLE;
      }
      if (!t.mayWrite(who)) {
        return Outcome.DENIED;
      }
      return Outcome.ok(change.get());
    }

    /** The model of an owner-only step (the heir), whatever the access. */
    private Outcome owner(MTable t, Agent who, Runnable change) {
      if (t.deleted) {
        return Outcome.NO_TABLE;
      }
      if (who != t.owner) {
        return Outcome.DENIED;
      }
      change.run();
      return Outcome.ok(null);
    }

    void end(Action a) {
      MTable t = table(a.b());
      Agent x;
      if (a.c() == 0 && t != null && !t.deleted) {
        x = t.owner;
      } else if (a.c() == 1 && t != null && !t.deleted && t.heir != null) {
        x = t.heir;
      } else if (a.c() >= 2 || t == null) {
        x = agents.get(a.a() % agents.size());
      } else {
        trace.append("skip (no such process)");
        return;
      }
      How how = How.values()[a.d() % 3];
      trace.append(how).append(' ').append(x);
      if (!x.alive) {
        trace.append(": skip (already dead)");
        return;
      }
      // a fresh monitor is the last to fire, so when its Down is here, the agents' are queued too
      MonitorRef ref = Processes.monitor(x.pid);
      switch (how) {
        case NORMAL -> Processes.send(x.pid, new Quit(false));
        case CRASH -> Processes.send(x.pid, new Quit(true));
        case KILL -> Processes.exit(x.pid, ExitReason.KILL);
      }
      Down d = Processes.receive(Down.class, m -> m.ref() == ref, WAIT);
      if (d == null) {
        throw fail(x + " did not end within " + WAIT);
      }
      expect(expectedReason(how).getClass(), d.reason().getClass(), "the exit reason of " + x);
      x.alive = false;
      // the model: each table the agent owned goes to a live heir that is not the agent itself,
      // or is deleted
      List<MTable> owned =
          tables.stream()
              .filter(m -> !m.deleted && m.owner == x)
              .sorted(Comparator.comparingLong(m -> m.ownedSince))
              .toList();
      for (MTable m : owned) {
        if (m.heir != null && m.heir != x && m.heir.alive) {
          m.owner = m.heir;
          m.ownedSince = ++ownership;
          m.heir.expectedNow.add(transfer(m, x, m.heirData));
          cover("inherited");
          trace.append(", ").append(m).append(" to ").append(m.owner);
        } else {
          m.deleted = true;
          cover("deletedWithOwner");
          trace.append(", ").append(m).append(" deleted");
        }
      }
    }

    private static ExitReason expectedReason(How how) {
      return switch (how) {
        case NORMAL -> ExitReason.NORMAL;
        case CRASH -> ExitReason.crash(new IllegalStateException());
        case KILL -> ExitReason.KILLED;
      };
    }

    private static String transfer(MTable t, Agent from, Object data) {
      return "TableTransfer(" + t + " from " + from.name + ", " + data + ")";
    }

    // ---------------------------------------------------------------- the invariant

    void check() {
      for (MTable t : tables) {
        checkTable(t);
      }
      for (TableName<Integer, Integer> name : NAMES) {
        Optional<MTable> m =
            tables.stream().filter(t -> !t.deleted && name.equals(t.name)).findFirst();
        Optional<OwnedTable<Integer, Integer>> real = Tables.whereis(node, name);
        if (m.isPresent() != real.isPresent() || (m.isPresent() && m.get().handle != real.get())) {
          throw fail(
              "Tables.whereis(" + name + "): expected " + m.map(x -> x.label) + " but was " + real);
        }
      }
      for (Agent x : agents) {
        if (x.alive) {
          checkMessages(x);
        }
        if (!x.expectedNow.isEmpty() && !x.alive) {
          throw fail("the model sent a transfer to dead " + x);
        }
      }
    }

    private void checkTable(MTable t) {
      Optional<TableInfo> info = t.handle.info();
      if (t.deleted) {
        expect(Optional.empty(), info, t + " info (deleted)");
        return;
      }
      if (info.isEmpty()) {
        throw fail(t + " was deleted; the model says it is owned by " + t.owner);
      }
      TableInfo i = info.get();
      expect(t.owner.pid, i.owner(), t + " owner (" + t.owner + ")");
      Optional<Pid> heir =
          t.heir != null && t.heir.alive ? Optional.of(t.heir.pid) : Optional.empty();
      expect(heir, i.heir(), t + " heir (" + t.heir + ")");
      expect(t.type, i.type(), t + " type");
      expect(t.access, i.access(), t + " access");
      expect(t.name != null, i.named(), t + " named");
      if (t.name != null) {
        expect(t.name.value(), i.name(), t + " name");
      }
      // the exact contents, read by the owner, who may read any table
      List<Map.Entry<Integer, Integer>> list = call(t.owner, () -> t.handle.toList());
      Map<Integer, List<Integer>> actual = new LinkedHashMap<>();
      for (Map.Entry<Integer, Integer> e : list) {
        actual.computeIfAbsent(e.getKey(), x -> new ArrayList<>()).add(e.getValue());
      }
      Map<Integer, List<Integer>> model = new TreeMap<>();
      t.contents.forEach(
          (k, vs) -> {
            if (!vs.isEmpty()) {
              model.put(k, vs);
            }
          });
      expect(model, new TreeMap<>(actual), t + " contents");
      if (t.type == TableType.ORDERED_SET) {
        expect(List.copyOf(model.keySet()), List.copyOf(actual.keySet()), t + " key order");
      }
      expect((long) list.size(), i.size(), t + " size");
    }

    /**
     * The agent got exactly the transfers the model expects at this step, and a transfer from an
     * agent that has died came before that agent's Exit and Down.
     */
    private void checkMessages(Agent x) {
      List<Object> fresh = newLog(x);
      int base = x.log.size();
      x.log.addAll(fresh);
      List<String> got = new ArrayList<>();
      for (Object m : fresh) {
        if (m instanceof TableTransfer tr) {
          got.add(describe(tr));
        }
      }
      List<String> want = new ArrayList<>(x.expectedNow);
      got.sort(null);
      want.sort(null);
      expect(want, got, x + "'s transfers at this step");
      x.expectedNow.clear();
      for (int i = base; i < x.log.size(); i++) {
        if (x.log.get(i) instanceof TableTransfer tr && !tr.from().isAlive()) {
          int exit = indexOf(x.log, m -> m instanceof Exit e && e.from() == tr.from());
          int down = indexOf(x.log, m -> m instanceof Down d && d.pid() == tr.from());
          if (exit < 0 || down < 0) {
            throw fail(x + " never got the Exit and Down of " + tr.from() + ": " + x.log);
          }
          if (exit < i || down < i) {
            throw fail(
                x + " got " + describe(tr) + " after the Exit or Down of its sender: " + x.log);
          }
          cover("transferBeforeExitAndDown");
        }
      }
    }

    private String describe(TableTransfer tr) {
      String table =
          tables.stream()
              .filter(t -> t.handle == tr.table())
              .map(t -> t.label)
              .findFirst()
              .orElse("unknown table " + tr.table());
      String from =
          agents.stream()
              .filter(a -> a.pid == tr.from())
              .map(a -> a.name)
              .findFirst()
              .orElse("unknown " + tr.from());
      return "TableTransfer(" + table + " from " + from + ", " + tr.data() + ")";
    }

    private static int indexOf(List<Object> log, Predicate<Object> p) {
      for (int i = 0; i < log.size(); i++) {
        if (p.test(log.get(i))) {
          return i;
        }
      }
      return -1;
    }
  }
}
