// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.genserver.NoProcException;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NodeExtension.class)
class LivenessTest {

  @Test
  void proc11_exitedProcess_isNotAlive_andEveryPidApiCopes(Node node) {
    Pid p = node.spawn(() -> {});
    assertEquals(ExitReason.NORMAL, TestProcs.exitReasonOf(p));
    assertFalse(p.isAlive());
    assertFalse(Processes.isAlive(p));
    assertEquals(Optional.of(ExitReason.NORMAL), p.exitReason());
    assertTrue(node.processes().stream().noneMatch(p::equals));

    // each API that takes a pid applies its noproc / badarg rule
    assertThrows(IllegalArgumentException.class, () -> node.register("late", p));
    MonitorRef ref = Processes.monitor(p);
    assertEquals(
        ExitReason.NOPROC,
        Processes.receive(Down.class, d -> d.ref() == ref, Duration.ZERO).reason());
    Processes.trapExits(true);
    Processes.link(p);
    assertEquals(new Exit(p, ExitReason.NOPROC), Expect.receive(Exit.class));
    Processes.send(p, "dropped");
    Processes.exit(p, ExitReason.KILL);
    assertTrue(Processes.onExit(p, (x, r) -> {}).isEmpty());
    assertThrows(
        NoProcException.class, () -> ServerRef.of(p).call(f -> "req", Duration.ofSeconds(1)));
    assertThrows(NoProcException.class, () -> ServerRef.of(p).stop());
  }

  @Test
  void proc11_isAlive_isASnapshot(Node node) {
    Pid p = TestProcs.idle(node);
    assertTrue(p.isAlive());
    assertEquals(Optional.empty(), p.exitReason());
    assertTrue(node.processes().contains(p));
    Processes.exit(p, ExitReason.KILL);
    assertFalse(p.isAlive(), "dead as soon as exit(kill) returns");
    assertEquals(Optional.of(ExitReason.KILLED), p.exitReason());
    assertEquals(Optional.of(ExitReason.NOPROC), node.systemPid().exitReason());
    assertFalse(node.systemPid().isAlive());
  }

  @Test
  void pids_areUniqueAndNeverReused(Node node) {
    Pid a = node.spawn(() -> {});
    Expect.down(a);
    Pid b = node.spawn(() -> {});
    Expect.down(b);
    assertTrue(b.id() > a.id());
    assertFalse(a.equals(b));
    assertEquals("<0." + a.id() + ">", a.toString());
    assertTrue(a.compareTo(b) < 0);
  }
}
