// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.coppice.core.AttachedProcess;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.PropertyBudget;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * Several processes run random operations on one table at once, and what they saw must be
 * linearizable: some sequential order of the same operations, consistent with their real-time order
 * (an operation that returned before another began comes first), gives every process the results it
 * got and leaves the table as it is at the end (ETS-17, ETS-18, ETS-27).
 *
 * <p>The operations are single-key reads and writes plus the multi-object ones ({@code insert} of a
 * list, {@code insertNew} of a list, {@code deleteAllObjects}), so a list insert seen half done
 * (one key new, another still old) has no linearization and fails the property. Traversals and
 * {@code size} are left out on purpose: they are documented as weakly consistent, not atomic.
 *
 * <p>Owner is worker w0. On a PUBLIC table every worker writes; on a PROTECTED table the others'
 * writes must be refused (and change nothing), which exercises the owner's lock-free single-key
 * writes against concurrent readers. The checker is a small Wing-and-Gong search with memoization
 * over (operations done, model state), bounded so that it cannot hang the build.
 *
 * <p>Each worker runs its generated list {@value #REPEAT} times in a row, and each scenario runs
 * twice on fresh tables, since one pass over a race rarely hits its window; the workers start
 * together as far as the carrier threads allow. A failure shows the operations around the point
 * where no sequential order could go on, including any operation still running at that point.
 */
class TableConcurrencyProperties {
  private static final int KEYS = 3;
  private static final int WORKERS = 3;

  /** How many workers can run at the same moment: virtual threads run on one carrier per core. */
  private static final int PARALLEL =
      Math.min(WORKERS, Math.max(2, Runtime.getRuntime().availableProcessors()));

  private static final int RUNS_PER_SCENARIO = 2;

  /** Each worker runs its list this many times in a row: long overlaps, short descriptions. */
  private static final int REPEAT = 40;

  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void concurrentOperations_areLinearizable() {
    PropertyBudget budget =
        PropertyBudget.of("TableConcurrencyProperties", 20_000, Duration.ofSeconds(18));
    qt().withExamples(budget.examples())
        .withTestingTime(budget.testingMillis(), TimeUnit.MILLISECONDS)
        .withShrinkCycles(budget.shrinkCycles())
        .forAll(scenarios())
        .checkAssert(s -> budget.check(s, x -> run(x, budget)));
    budget.report();
    budget.requireCovered("overlap", "list insert overlaps a read", "denied");
  }

  /** The most states the checker visits for one history before it gives up undecided. */
  private static final int SEARCH_LIMIT = 1_000_000;

  /**
   * A bag's values under one key, as a worker saw them, sorted: the checker compares them as a
   * multiset, so that two concurrent inserts under one key are one state whatever their order (the
   * order of a key's values is checked sequentially by {@link TableModelProperties}).
   */
  static Outcome normalize(TableType type, Outcome o) {
    if ((type == TableType.BAG || type == TableType.DUPLICATE_BAG)
        && o.value() instanceof List<?> list) {
      List<Integer> sorted = new ArrayList<>();
      for (Object x : list) {
        sorted.add((Integer) x);
      }
      sorted.sort(null);
      return Outcome.ok(List.copyOf(sorted));
    }
    return o;
  }

  /** Counts what the history exercised: overlapping operations, refused writes. */
  private static void cover(PropertyBudget b, List<List<Event>> history) {
    List<Event> all = new ArrayList<>();
    history.forEach(all::addAll);
    all.sort(Comparator.comparingLong(Event::invoked));
    Event[] last = new Event[WORKERS];
    for (Event e : all) {
      for (Event other : last) {
        if (other != null && other.worker() != e.worker() && other.returned() > e.invoked()) {
          b.cover("overlap");
          if (isListInsert(e) && isRead(other) || isListInsert(other) && isRead(e)) {
            b.cover("list insert overlaps a read");
          }
        }
      }
      last[e.worker()] = e;
      if (e.outcome().equals(Outcome.DENIED)) {
        b.cover("denied");
      }
    }
  }

  private static boolean isListInsert(Event e) {
    return e.op().kind() == Kind.INSERT_LIST || e.op().kind() == Kind.INSERT_NEW_LIST;
  }

  private static boolean isRead(Event e) {
    return e.op().kind() == Kind.LOOKUP || e.op().kind() == Kind.MEMBER;
  }

  // ------------------------------------------------------------------ scenarios

  enum Kind {
    LOOKUP,
    INSERT,
    INSERT_LIST,
    DELETE,
    TAKE,
    MEMBER,
    INSERT_NEW,
    INSERT_NEW_LIST,
    DELETE_ALL
  }

  /** One operation; {@code k} is a key, {@code v} a value. */
  record Op(Kind kind, int k, int v) {
    /** The objects of the list operations: every key for INSERT_LIST, two for INSERT_NEW_LIST. */
    List<Map.Entry<Integer, Integer>> objects() {
      List<Map.Entry<Integer, Integer>> out = new ArrayList<>();
      int n = kind == Kind.INSERT_LIST ? KEYS : 2;
      for (int i = 0; i < n; i++) {
        out.add(Map.entry((k + i) % KEYS, v));
      }
      return out;
    }

    @Override
    public String toString() {
      return switch (kind) {
        case LOOKUP, DELETE, TAKE, MEMBER -> kind.name().toLowerCase() + "(" + k + ")";
        case INSERT, INSERT_NEW -> kind.name().toLowerCase() + "(" + k + "=" + v + ")";
        case INSERT_LIST -> "insert(" + objects() + ")";
        case INSERT_NEW_LIST -> "insert_new(" + objects() + ")";
        case DELETE_ALL -> "delete_all_objects";
      };
    }
  }

  record Scenario(TableType type, Access access, List<List<Op>> workers) {
    @Override
    public String toString() {
      StringBuilder out = new StringBuilder(type + " " + access + " owned by w0:");
      for (int w = 0; w < workers.size(); w++) {
        out.append(" w").append(w).append(workers.get(w));
      }
      return out.toString();
    }
  }

  static Gen<Op> op() {
    return in -> {
      // reads and list inserts are the common case: they are what exposes a half-done write
      int roll = (int) in.next(Constraint.between(0, 15));
      Kind kind =
          switch (roll) {
            case 0, 1, 2, 3, 4 -> Kind.LOOKUP;
            case 5, 6 -> Kind.INSERT;
            case 7, 8, 9 -> Kind.INSERT_LIST;
            case 10 -> Kind.DELETE;
            case 11 -> Kind.TAKE;
            case 12 -> Kind.MEMBER;
            case 13 -> Kind.INSERT_NEW;
            case 14 -> Kind.INSERT_NEW_LIST;
            default -> Kind.DELETE_ALL;
          };
      int k = (int) in.next(Constraint.between(0, KEYS - 1));
      int v = (int) in.next(Constraint.between(0, 3));
      return new Op(kind, k, v);
    };
  }

  static Gen<Scenario> scenarios() {
    Gen<List<Op>> ops = lists().of(op()).ofSizeBetween(1, 6);
    return in -> {
      TableType type = TableType.values()[(int) in.next(Constraint.between(0, 3))];
      Access access = in.next(Constraint.between(0, 1)) == 0 ? Access.PUBLIC : Access.PROTECTED;
      List<List<Op>> workers = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        workers.add(ops.generate(in));
      }
      return new Scenario(type, access, workers);
    };
  }

  // ------------------------------------------------------------------ outcomes

  /** What an operation returned: a value, or a refusal. */
  record Outcome(String kind, Object value) {
    static final Outcome DENIED = new Outcome("denied", null);

    static Outcome ok(Object value) {
      return new Outcome("ok", value);
    }

    @Override
    public String toString() {
      return kind.equals("ok") ? String.valueOf(value) : kind;
    }
  }

  /** One completed operation: who ran it, what it returned, and when it began and returned. */
  record Event(int worker, int index, Op op, Outcome outcome, long invoked, long returned) {
    @Override
    public String toString() {
      return "w" + worker + "." + index + " " + op + " → " + outcome + " @[" + invoked + ","
          + returned + "]";
    }
  }

  static Outcome apply(OwnedTable<Integer, Integer> t, Op op) {
    try {
      return Outcome.ok(
          switch (op.kind()) {
            case LOOKUP -> OwnershipProperties.lookup(t, op.k());
            case TAKE -> OwnershipProperties.take(t, op.k());
            case MEMBER -> t.member(op.k());
            case DELETE -> t.delete(op.k());
            case INSERT -> {
              t.insert(op.k(), op.v());
              yield null;
            }
            case INSERT_LIST -> {
              t.insert(op.objects());
              yield null;
            }
            case INSERT_NEW -> t.insertNew(op.k(), op.v());
            case INSERT_NEW_LIST -> t.insertNew(op.objects());
            case DELETE_ALL -> {
              t.deleteAllObjects();
              yield null;
            }
          });
    } catch (TableAccessException e) {
      return Outcome.DENIED;
    } catch (RuntimeException e) { // anything else is a bug: make it a result that cannot match
      return new Outcome("threw " + e, null);
    }
  }

  // ------------------------------------------------------------------ the model

  /** The contents: key to values (one for a set), immutable, so it can be a memo key. */
  record State(TableType type, Map<Integer, List<Integer>> contents) {
    List<Integer> values(int k) {
      return contents.getOrDefault(k, List.of());
    }

    /**
     * {@return the state after {@code op} by {@code worker}, and in {@code result[0]} its outcome}
     */
    State apply(Op op, boolean mayWrite, Outcome[] result) {
      boolean write = op.kind() != Kind.LOOKUP && op.kind() != Kind.MEMBER;
      if (write && !mayWrite) {
        result[0] = Outcome.DENIED;
        return this;
      }
      TreeMap<Integer, List<Integer>> next = new TreeMap<>(contents);
      Object value = null;
      switch (op.kind()) {
        case LOOKUP -> value = values(op.k());
        case MEMBER -> value = !values(op.k()).isEmpty();
        case TAKE -> {
          value = values(op.k());
          next.remove(op.k());
        }
        case DELETE -> value = next.remove(op.k()) != null;
        case INSERT -> put(next, op.k(), op.v());
        case INSERT_LIST -> op.objects().forEach(e -> put(next, e.getKey(), e.getValue()));
        case INSERT_NEW -> {
          value = !next.containsKey(op.k());
          if ((Boolean) value) {
            put(next, op.k(), op.v());
          }
        }
        case INSERT_NEW_LIST -> {
          value = op.objects().stream().noneMatch(e -> next.containsKey(e.getKey()));
          if ((Boolean) value) {
            op.objects().forEach(e -> put(next, e.getKey(), e.getValue()));
          }
        }
        case DELETE_ALL -> next.clear();
      }
      result[0] = Outcome.ok(value);
      return new State(type, Map.copyOf(next));
    }

    private void put(TreeMap<Integer, List<Integer>> m, int k, int v) {
      List<Integer> vs = new ArrayList<>(m.getOrDefault(k, List.of()));
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
      if (type == TableType.BAG || type == TableType.DUPLICATE_BAG) {
        vs.sort(null); // a multiset: see normalize
      }
      m.put(k, List.copyOf(vs));
    }
  }

  /** Searches for a linearization of {@code history} ending in {@code end}. */
  static final class Checker {
    private final List<List<Event>> history;
    private final boolean[] mayWrite;
    private final State end;
    private final Set<Object> dead = new HashSet<>();
    int explored;

    /** The furthest the search got: how many operations it could order, and where. */
    int best = -1;

    int[] bestNext;

    Checker(List<List<Event>> history, boolean[] mayWrite, State end) {
      this.history = history;
      this.mayWrite = mayWrite;
      this.end = end;
    }

    /** {@return whether a linearization exists, or null if the search gave up undecided} */
    Boolean linearizable(State start) {
      // a depth-first search with an explicit stack: histories are thousands of operations deep
      ArrayDeque<Frame> stack = new ArrayDeque<>();
      stack.push(new Frame(new int[history.size()], start));
      while (!stack.isEmpty()) {
        Frame f = stack.peek();
        if (f.tried == 0 && !f.entered) {
          f.entered = true;
          if (++explored > SEARCH_LIMIT) {
            return null;
          }
          int ordered = 0;
          boolean done = true;
          for (int w = 0; w < f.next.length; w++) {
            done &= f.next[w] == history.get(w).size();
            ordered += f.next[w];
          }
          if (ordered > best) {
            best = ordered;
            bestNext = f.next.clone();
          }
          if (done) {
            if (f.state.equals(end)) {
              return true;
            }
            stack.pop();
            continue;
          }
          if (dead.contains(f.memo())) {
            stack.pop();
            continue;
          }
        }
        if (f.tried == f.next.length) { // every choice from here failed
          dead.add(f.memo());
          stack.pop();
          continue;
        }
        int w = f.tried++;
        if (f.next[w] == history.get(w).size()) {
          continue;
        }
        Event e = history.get(w).get(f.next[w]);
        if (!minimal(f.next, e)) {
          continue;
        }
        Outcome[] result = new Outcome[1];
        State after = f.state.apply(e.op(), mayWrite[w], result);
        if (result[0].equals(e.outcome())) {
          int[] next = f.next.clone();
          next[w]++;
          stack.push(new Frame(next, after));
        }
      }
      return false;
    }

    /** A point of the search: how far each worker's operations are ordered, and the state. */
    private static final class Frame {
      final int[] next;
      final State state;
      int tried;
      boolean entered;

      Frame(int[] next, State state) {
        this.next = next;
        this.state = state;
      }

      Object memo() {
        return List.of(Arrays.toString(next), state);
      }
    }

    /** No pending operation of another worker returned before {@code e} began. */
    private boolean minimal(int[] next, Event e) {
      for (int w = 0; w < next.length; w++) {
        if (w != e.worker() && next[w] < history.get(w).size()) {
          if (history.get(w).get(next[w]).returned() < e.invoked()) {
            return false;
          }
        }
      }
      return true;
    }
  }

  // ------------------------------------------------------------------ running a scenario

  private record Ready(OwnedTable<Integer, Integer> table) {}

  private record Done(int worker, List<Event> events) {}

  private record Quit() {}

  private record Go() {}

  static void run(Scenario s, PropertyBudget budget) {
    LogCapture.clear();
    Node node = Node.start();
    AttachedProcess driver = node.attach();
    try {
      for (int r = 0; r < RUNS_PER_SCENARIO; r++) {
        runOnce(s, r, budget);
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

  private static void runOnce(Scenario s, int round, PropertyBudget budget) {
    Pid me = Processes.self();
    AtomicLong clock = new AtomicLong();
    AtomicInteger arrived = new AtomicInteger();
    AtomicInteger awake = new AtomicInteger();
    List<Pid> pids = new ArrayList<>();
    AtomicReference<OwnedTable<Integer, Integer>> table = new AtomicReference<>();
    for (int w = 0; w < WORKERS; w++) {
      int worker = w;
      List<Op> ops = s.workers().get(w);
      pids.add(
          Processes.spawn(
              () -> {
                OwnedTable<Integer, Integer> t;
                if (worker == 0) {
                  t = OwnershipProperties.newTable(s.type(), s.access(), null, null, null);
                  Processes.send(me, new Ready(t));
                } else {
                  t = Processes.receive(Ready.class).table();
                }
                arrived.incrementAndGet();
                Processes.receive(Go.class);
                // start together, as far as the carriers allow: spin until as many workers as
                // can run at once are here (bounded, since one that is not mounted cannot come)
                awake.incrementAndGet();
                long until = System.nanoTime() + 2_000_000;
                while (awake.get() < PARALLEL && System.nanoTime() - until < 0) {
                  Thread.onSpinWait();
                }
                List<Event> events = new ArrayList<>();
                for (int i = 0; i < REPEAT * ops.size(); i++) {
                  Op op = ops.get(i % ops.size());
                  long invoked = clock.incrementAndGet();
                  Outcome outcome = apply(t, op);
                  long returned = clock.incrementAndGet();
                  events.add(
                      new Event(worker, i, op, normalize(s.type(), outcome), invoked, returned));
                }
                Processes.send(me, new Done(worker, events));
                if (worker == 0) {
                  Processes.receive(Quit.class); // keep the table alive until the end is read
                }
              }));
      if (w == 0) {
        Ready ready = Processes.receive(Ready.class, x -> true, WAIT);
        if (ready == null) {
          throw new AssertionError("the owner did not create the table: " + s);
        }
        table.set(ready.table());
      } else {
        Processes.send(pids.get(w), new Ready(table.get()));
      }
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (arrived.get() < WORKERS) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the workers did not get ready: " + s);
      }
      Thread.onSpinWait();
    }
    for (Pid p : pids) {
      Processes.send(p, new Go());
    }
    List<List<Event>> history = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      history.add(null);
    }
    for (int w = 0; w < WORKERS; w++) {
      Done d = Processes.receive(Done.class, x -> true, WAIT);
      if (d == null) {
        throw new AssertionError("a worker did not finish: " + s);
      }
      history.set(d.worker(), d.events());
    }
    TreeMap<Integer, List<Integer>> end = new TreeMap<>();
    for (int k = 0; k < KEYS; k++) {
      @SuppressWarnings("unchecked")
      List<Integer> vs =
          (List<Integer>)
              normalize(s.type(), Outcome.ok(OwnershipProperties.lookup(table.get(), k))).value();
      if (!vs.isEmpty()) {
        end.put(k, vs);
      }
    }
    Processes.send(pids.get(0), new Quit());
    boolean[] mayWrite = new boolean[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
      mayWrite[w] = s.access() == Access.PUBLIC || w == 0;
    }
    cover(budget, history);

    Checker checker = new Checker(history, mayWrite, new State(s.type(), Map.copyOf(end)));
    Boolean linearizable = checker.linearizable(new State(s.type(), Map.of()));
    if (linearizable == null) {
      budget.cover("undecided");
    } else if (!linearizable) {
      throw new AssertionError(explain(history, checker, end, round));
    }
  }

  /** The operations around the point where the search got stuck, in order of invocation. */
  private static String explain(
      List<List<Event>> history, Checker checker, Map<Integer, List<Integer>> end, int round) {
    List<Event> all = new ArrayList<>();
    history.forEach(all::addAll);
    all.sort(Comparator.comparingLong(Event::invoked));
    long stuck = Long.MAX_VALUE;
    for (int w = 0; w < history.size(); w++) {
      if (checker.bestNext[w] < history.get(w).size()) {
        stuck = Math.min(stuck, history.get(w).get(checker.bestNext[w]).invoked());
      }
    }
    int at = 0;
    while (at < all.size() && all.get(at).invoked() < stuck) {
      at++;
    }
    List<String> window = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Event e = all.get(i);
      boolean near = i >= at - 10 && i < at + 10;
      boolean spans = e.invoked() < stuck && e.returned() > stuck; // still running there
      if (near || spans) {
        window.add((i == at ? "→ " : spans ? "| " : "  ") + e);
      }
    }
    return "no sequential order of the workers' operations explains what they saw (run "
        + round
        + "). A sequential order explains the first "
        + checker.best
        + " of "
        + all.size()
        + " operations at most; the operations around there (→ the first it could not place, |"
        + " one still running then), by invocation time:\n"
        + String.join("\n", window)
        + (stuck == Long.MAX_VALUE ? "\nbut not the final contents " + end : "");
  }
}
