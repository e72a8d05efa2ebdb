// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.coppice.core.Down;
import dev.coppice.core.ExitReason;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.CallException;
import dev.coppice.testkit.AllowErrorLogs;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.ManualTicker;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real supervisor stepped alongside a pure model of OTP's rules: after every action, the
 * children (in order), whether each runs, which ones got a new process, and whether the
 * supervisor is alive must match the model.
 */
@ExtendWith(NodeExtension.class)
@AllowErrorLogs // crashes are the point
class SupervisorProperties {

  /** One step. Encoded as an int so that QuickTheories can shrink it. */
  record Action(int kind, int arg) {
    static final int KINDS = 7;

    static Action decode(int v) {
      return new Action(v % KINDS, v / KINDS);
    }

    @Override
    public String toString() {
      return switch (kind) {
        case 0 -> "Crash(" + arg + ")";
        case 1 -> "ExitNormal(" + arg + ")";
        case 2 -> "Terminate(" + arg + ")";
        case 3 -> "Restart(" + arg + ")";
        case 4 -> "Delete(" + arg + ")";
        case 5 -> "Add(" + Restart.values()[arg % 3] + ")";
        default -> "Advance(" + arg * 300 + " ms)";
      };
    }
  }

  record Setup(Strategy strategy, int intensity, int periodSeconds, int initial) {}

  /** The model's child. */
  static final class MChild {
    final String id;
    final Restart restart;
    boolean running = true;
    int generation;

    MChild(String id, Restart restart) {
      this.id = id;
      this.restart = restart;
    }
  }

  /** The model: OTP's rules over a list of children, written independently of the library. */
  static final class Model {
    final Setup setup;
    final List<MChild> children = new ArrayList<>();
    final List<Long> restarts = new ArrayList<>();
    boolean alive = true;

    Model(Setup setup) {
      this.setup = setup;
    }

    void exited(MChild c, boolean abnormal, long now) {
      c.running = false;
      boolean restart =
          c.restart == Restart.PERMANENT || (c.restart == Restart.TRANSIENT && abnormal);
      if (!restart) {
        if (c.restart == Restart.TEMPORARY) {
          children.remove(c);
        }
        return;
      }
      long period = Duration.ofSeconds(setup.periodSeconds).toNanos();
      restarts.removeIf(t -> now - t >= period);
      if (restarts.size() + 1 > setup.intensity) {
        alive = false;
        return;
      }
      restarts.add(now);
      int from =
          switch (setup.strategy) {
            case ONE_FOR_ONE -> -1;
            case REST_FOR_ONE -> children.indexOf(c);
            case ONE_FOR_ALL -> 0;
          };
      if (from < 0) {
        c.running = true;
        c.generation++;
        return;
      }
      List<MChild> group = new ArrayList<>(children.subList(from, children.size()));
      for (MChild m : group) {
        if (m.restart == Restart.TEMPORARY) {
          children.remove(m); // stopped and dropped
        } else {
          m.running = true; // every non-temporary member starts again, stopped ones too
          m.generation++;
        }
      }
    }
  }

  @Test
  void supervisor_matchesModel_underRandomActions(Node node) {
    qt().withExamples(60)
        .withShrinkCycles(100)
        .forAll(
            integers().between(0, 2),
            integers().between(0, 3),
            integers().between(1, 5),
            lists().of(integers().between(0, Action.KINDS * 8 - 1).map(Action::decode))
                .ofSizeBetween(1, 25))
        .checkAssert(
            (strategy, intensity, period, actions) ->
                run(node, new Setup(Strategy.values()[strategy], intensity, period, 3), actions));
  }

  private static StartFunction quietKid() {
    return StartFunction.spawnLink(
        () -> {
          for (; ; ) {
            if (Processes.receive() instanceof Kids.Die d) {
              throw Processes.exit(d.reason());
            }
          }
        });
  }

  private static void run(Node node, Setup setup, List<Action> actions) {
    ManualTicker ticker = new ManualTicker();
    Model model = new Model(setup);
    List<ChildSpec> specs = new ArrayList<>();
    for (int i = 0; i < setup.initial; i++) {
      Restart r = Restart.values()[i % 3];
      specs.add(ChildSpec.worker("c" + i, quietKid()).withRestart(r));
      model.children.add(new MChild("c" + i, r));
    }
    SupervisorFlags flags =
        SupervisorFlags.of(setup.strategy)
            .withIntensity(setup.intensity, Duration.ofSeconds(setup.periodSeconds))
            .withTicker(ticker);
    Supervisor sup = Supervisor.start(node, flags, specs).orElseThrow();
    MonitorRef supRef = Processes.monitor(sup.pid());
    Map<String, Pid> pids = new HashMap<>();
    Map<String, Integer> generations = new HashMap<>();
    check(sup, model, pids, generations, "start");
    int added = 0;
    List<String> done = new ArrayList<>();
    try {
      for (Action a : actions) {
        done.add(a.toString());
        List<MChild> kids = model.children;
        MChild target = kids.isEmpty() ? null : kids.get(a.arg % kids.size());
        switch (a.kind) {
          case 0, 1 -> {
            if (target == null || !target.running) {
              continue;
            }
            boolean abnormal = a.kind == 0;
            Pid p = pids.get(target.id);
            if (abnormal) {
              Kids.kill(p);
            } else {
              MonitorRef r = Processes.monitor(p);
              Processes.send(p, new Kids.Die(ExitReason.NORMAL));
              Expect.down(r);
            }
            model.exited(target, abnormal, ticker.read());
          }
          case 2 -> {
            if (target == null) {
              continue;
            }
            assertEquals(true, sup.terminateChild(target.id));
            target.running = false;
            if (target.restart == Restart.TEMPORARY) {
              kids.remove(target);
            }
          }
          case 3 -> {
            if (target == null) {
              continue;
            }
            RestartChildResult r = sup.restartChild(target.id);
            if (target.running) {
              assertEquals(new RestartChildResult.Running(), r);
            } else {
              target.running = true;
              target.generation++;
            }
          }
          case 4 -> {
            if (target == null) {
              continue;
            }
            DeleteChildResult r = sup.deleteChild(target.id);
            if (target.running) {
              assertEquals(DeleteChildResult.RUNNING, r);
            } else {
              assertEquals(DeleteChildResult.DELETED, r);
              kids.remove(target);
              pids.remove(target.id);
              generations.remove(target.id);
            }
          }
          case 5 -> {
            Restart r = Restart.values()[a.arg % 3];
            String id = "n" + added++;
            sup.startChild(ChildSpec.worker(id, quietKid()).withRestart(r));
            kids.add(new MChild(id, r));
          }
          default -> ticker.advance(Duration.ofMillis(a.arg * 300L));
        }
        if (!model.alive) {
          // a call to a supervisor that is exiting or gone fails at once; to a live one it answers
          assertThrows(CallException.class, sup::countChildren, "still alive after " + done);
          Down d = Expect.down(supRef);
          assertEquals(ExitReason.SHUTDOWN, d.reason(), "after " + done);
          return;
        }
        check(sup, model, pids, generations, done.toString());
      }
      assertFalse(
          Processes.mailbox().stream()
              .anyMatch(m -> m instanceof Down d && d.ref() == supRef),
          "the supervisor died, the model did not: " + done);
    } finally {
      if (sup.whereis().orElseThrow().isAlive()) {
        sup.stop();
      }
      Processes.demonitor(supRef);
    }
  }

  private static void check(
      Supervisor sup,
      Model model,
      Map<String, Pid> pids,
      Map<String, Integer> generations,
      String after) {
    List<ChildInfo> real = sup.whichChildren(); // newest first
    List<String> expectedIds = new ArrayList<>();
    for (int i = model.children.size() - 1; i >= 0; i--) {
      expectedIds.add(model.children.get(i).id);
    }
    assertEquals(expectedIds, real.stream().map(ChildInfo::id).toList(), "ids after " + after);
    for (ChildInfo info : real) {
      MChild m = model.children.stream().filter(c -> c.id.equals(info.id())).findFirst().get();
      if (!m.running) {
        assertEquals(ChildStatus.NOT_RUNNING, info.status(), info.id() + " after " + after);
        continue;
      }
      Pid now = info.pid().orElseThrow(() -> new AssertionError(info + " after " + after));
      Pid before = pids.put(m.id, now);
      Integer gen = generations.put(m.id, m.generation);
      if (before != null && gen != null) {
        if (gen == m.generation) {
          assertEquals(before, now, m.id + " must keep its process after " + after);
        } else {
          assertNotEquals(before, now, m.id + " must have a new process after " + after);
        }
      }
    }
  }
}
