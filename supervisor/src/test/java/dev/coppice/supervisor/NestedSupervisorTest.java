// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import static dev.coppice.supervisor.Kids.kill;
import static dev.coppice.supervisor.Kids.pid;
import static dev.coppice.supervisor.Kids.started;
import static dev.coppice.supervisor.Kids.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.ExitReason;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.CallTimeoutException;
import dev.coppice.core.genserver.StartOptions;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A tree of supervisors restarts and shuts down as one. */
@ExtendWith(NodeExtension.class)
class NestedSupervisorTest {

  static ChildSpec inner(String id, SupervisorFlags flags, List<ChildSpec> children) {
    return ChildSpec.supervisor(id, () -> Supervisor.startLink(flags, children));
  }

  @Test
  void nested_childSupervisorPastItsIntensity_isRestartedByItsParent_oneForAll(Node node) {
    SupervisorFlags fragile = SupervisorFlags.oneForOne().withIntensity(0, Duration.ofSeconds(5));
    Supervisor root =
        Supervisor.start(
                node,
                SupervisorFlags.oneForAll(),
                List.of(
                    worker("w", Kids.Mode.TRAP),
                    inner("inner", fragile, List.of(worker("x", Kids.Mode.TRAP)))),
                StartOptions.named("root"))
            .orElseThrow();
    assertEquals(List.of("start:w", "start:x"), Kids.events(2));
    Pid inner = pid(root, "inner");
    Pid w = pid(root, "w");

    kill(pid(Supervisor.of(inner), "x")); // the inner supervisor gives up: exit shutdown

    // one_for_all at the root: w is stopped and both are started again, in order
    assertEquals(List.of("exit:w", "start:w", "start:x"), Kids.events(3));
    assertNotEquals(inner, pid(root, "inner"));
    assertNotEquals(w, pid(root, "w"));
    assertEquals(
        1,
        LogCapture.matching(e -> "reached_max_restart_intensity".equals(e.get("errorContext")))
            .size());
    // the inner supervisor exited with shutdown: quiet, so the root reports nothing about it
    assertTrue(
        LogCapture.matching(e -> "root".equals(e.get("supervisor"))).stream()
            .noneMatch(e -> "inner".equals(e.get("offender"))));
    LogCapture.errors();
    root.stop();
  }

  @Test
  void nested_treeShutsDownAsOne_deepestLastStartedFirst(Node node) {
    Supervisor root =
        Supervisor.start(
                node,
                SupervisorFlags.oneForOne(),
                List.of(
                    worker("a", Kids.Mode.TRAP),
                    inner(
                        "mid",
                        SupervisorFlags.restForOne(),
                        List.of(worker("b", Kids.Mode.TRAP), worker("c", Kids.Mode.TRAP))),
                    worker("d", Kids.Mode.TRAP)))
            .orElseThrow();
    assertEquals(List.of("start:a", "start:b", "start:c", "start:d"), Kids.events(4));
    MonitorRef ref = Processes.monitor(root.pid());
    root.stop();
    assertEquals(List.of("exit:d", "exit:c", "exit:b", "exit:a"), Kids.events(4));
    assertEquals(ExitReason.NORMAL, Expect.down(ref).reason());
    assertTrue(LogCapture.errors().isEmpty());
  }

  @Test
  void tree_drawsNestedSupervisors(Node node) {
    Supervisor root =
        Supervisor.start(
                node,
                SupervisorFlags.oneForOne(),
                List.of(
                    worker("db"),
                    inner(
                        "pool",
                        SupervisorFlags.oneForOne(),
                        List.of(worker("w1"), worker("w2"))),
                    ChildSpec.supervisor(
                        "jobs", () -> DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults()))),
                StartOptions.named("app"))
            .orElseThrow();
    for (String id : List.of("db", "w1", "w2")) {
      started(id);
    }
    Supervisor pool = Supervisor.of(pid(root, "pool"));
    DynamicSupervisor jobs = DynamicSupervisor.of(pid(root, "jobs"));
    Pid job = ((DynamicStartResult.Started) jobs.startChild(worker("job"))).pid();
    String expected =
        "app " + root.pid() + "\n"
            + "├─ db " + pid(root, "db") + " worker\n"
            + "├─ pool " + pool.pid() + " supervisor\n"
            + "│  ├─ w1 " + pid(pool, "w1") + " worker\n"
            + "│  └─ w2 " + pid(pool, "w2") + " worker\n"
            + "└─ jobs " + jobs.pid() + " supervisor\n"
            + "   └─ job " + job + " worker\n";
    assertEquals(expected, root.tree());
    root.stop();
  }

  @Test
  void tree_dynamicSupervisorChildren_inStartOrderAsDocumented(Node node) {
    Supervisor root =
        Supervisor.start(
                node,
                SupervisorFlags.oneForOne(),
                List.of(
                    ChildSpec.supervisor(
                        "jobs", () -> DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults())),
                    worker("last")))
            .orElseThrow();
    started("last");
    DynamicSupervisor jobs = DynamicSupervisor.of(pid(root, "jobs"));
    Pid j1 = ((DynamicStartResult.Started) jobs.startChild(worker("j1"))).pid();
    Pid j2 = ((DynamicStartResult.Started) jobs.startChild(worker("j2"))).pid();
    Pid j3 = ((DynamicStartResult.Started) jobs.startChild(worker("j3"))).pid();
    String expected =
        root.pid() + "\n"
            + "├─ jobs " + jobs.pid() + " supervisor\n"
            + "│  ├─ j1 " + j1 + " worker\n"
            + "│  ├─ j2 " + j2 + " worker\n"
            + "│  └─ j3 " + j3 + " worker\n"
            + "└─ last " + pid(root, "last") + " worker\n";
    assertEquals(expected, root.tree());
    assertEquals(
        List.of("j1", "j2", "j3"), jobs.whichChildren().stream().map(ChildInfo::id).toList());
    assertEquals(
        List.of("j3", "j2", "j1"),
        Supervisor.of(jobs.pid()).whichChildren().stream().map(ChildInfo::id).toList());
    root.stop();
  }

  @Test
  void tree_withATimeout_drawsABusyChildSupervisorAsNotAnswering(Node node) {
    Supervisor root =
        Supervisor.start(
                node,
                SupervisorFlags.oneForOne(),
                List.of(
                    worker("db"),
                    inner(
                        "pool",
                        SupervisorFlags.oneForOne(),
                        List.of(
                            worker("slow", Kids.Mode.WAIT_RELEASE)
                                .withShutdown(Shutdown.infinity())))))
            .orElseThrow();
    started("db");
    Pid slow = started("slow").pid();
    Supervisor pool = Supervisor.of(pid(root, "pool"));
    Pid test = Processes.self();
    Processes.spawn(() -> Processes.send(test, pool.terminateChild("slow")));
    Kids.gotExit("slow"); // pool now waits for slow to finish its shutdown
    Duration brief = Duration.ofMillis(50);
    String expected =
        root.pid() + "\n"
            + "├─ db " + pid(root, "db") + " worker\n"
            + "└─ pool " + pool.pid() + " supervisor\n"
            + "   └─ (no answer within " + brief + ")\n";
    assertEquals(expected, root.tree(brief));
    assertThrows(CallTimeoutException.class, () -> pool.tree(brief));

    Processes.send(slow, new Kids.Release());
    assertEquals(Boolean.TRUE, Expect.receive(Boolean.class, b -> true));
    assertTrue(root.tree(brief).endsWith("   └─ slow undefined worker\n"));
    root.stop();
  }
}
