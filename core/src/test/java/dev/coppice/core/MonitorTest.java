// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static dev.coppice.core.TestProcs.dieOnCommand;
import static dev.coppice.core.TestProcs.idle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.TestProcs.Die;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NodeExtension.class)
class MonitorTest {
  static final ExitReason BOOM = ExitReason.other("boom");

  private static List<Down> downsFor(MonitorRef ref) {
    return Processes.mailbox().stream()
        .filter(m -> m instanceof Down d && d.ref() == ref)
        .map(Down.class::cast)
        .toList();
  }

  @Test
  void proc05_twoMonitors_twoIndependentDowns(Node node) {
    Pid p = dieOnCommand(node);
    MonitorRef r1 = Processes.monitor(p);
    MonitorRef r2 = Processes.monitor(p);
    assertNotSame(r1, r2);
    assertFalse(r1.equals(r2), "every monitor gets a fresh reference");
    Processes.send(p, new Die(ExitReason.NORMAL));
    Down d1 = Expect.down(r1);
    Down d2 = Expect.down(r2);
    assertEquals(new Down(r1, p, ExitReason.NORMAL), d1);
    assertEquals(new Down(r2, p, ExitReason.NORMAL), d2);
    Expect.noMessage(Duration.ofMillis(50));
  }

  @Test
  void proc05_monitorDeadPid_immediateDownNoproc(Node node) {
    Pid d = node.spawn(() -> {});
    Expect.down(d);
    MonitorRef ref = Processes.monitor(d);
    Down down = Processes.receive(Down.class, x -> x.ref() == ref, Duration.ZERO);
    assertEquals(
        new Down(ref, d, ExitReason.NOPROC), down, "the Down is queued before monitor returns");
  }

  @Test
  void proc05_monitorName_downCarriesPid_refRemembersName(Node node) {
    Pid p = dieOnCommand(node);
    node.register("watched", p);
    MonitorRef ref = Processes.monitor("watched");
    assertEquals(Optional.of("watched"), ref.name());
    assertSame(p, ref.pid());
    Processes.send(p, new Die(BOOM));
    assertEquals(new Down(ref, p, BOOM), Expect.down(ref));
  }

  @Test
  void proc05_monitorUnregisteredName_immediateDownNoproc(Node node) {
    MonitorRef ref = Processes.monitor("nobody");
    Down d = Processes.receive(Down.class, x -> x.ref() == ref, Duration.ZERO);
    assertEquals(new Down(ref, null, ExitReason.NOPROC), d);
    assertEquals(Optional.of("nobody"), ref.name());
  }

  @Test
  void proc05_monitorNeverKillsTheWatcher(Node node) {
    Pid p = dieOnCommand(node);
    Pid watcher = TestProcs.forwarder(node, () -> Processes.monitor(p));
    Processes.send(p, new Die(BOOM));
    var f = Expect.receive(TestProcs.Forwarded.class, x -> x.by() == watcher);
    assertEquals(BOOM, ((Down) f.message()).reason());
    assertTrue(watcher.isAlive());
  }

  @Test
  void proc05_monitorFromPlainThread_isRejected(Node node) {
    Pid p = idle(node);
    Throwable t = TestProcs.failure(TestProcs.onPlainThread(() -> Processes.monitor(p)));
    assertEquals(IllegalStateException.class, t.getClass());
  }

  @Test
  void proc06_demonitorAfterDownQueued_keepsIt_flushRemovesIt(Node node) {
    Pid p = idle(node);
    MonitorRef keep = Processes.monitor(p);
    MonitorRef flush = Processes.monitor(p);
    Processes.exit(p, ExitReason.KILL); // both Downs are queued when this returns
    assertEquals(1, downsFor(keep).size());
    assertEquals(1, downsFor(flush).size());

    assertFalse(Processes.demonitor(keep, false), "the monitor had fired");
    assertEquals(1, downsFor(keep).size(), "demonitor without flush leaves the queued Down");

    assertFalse(Processes.demonitor(flush, true));
    assertEquals(0, downsFor(flush).size(), "flush removes it");
    // the one-argument form flushes too (demonitor(Ref, [flush]))
    assertFalse(Processes.demonitor(keep));
    assertEquals(0, downsFor(keep).size());
    assertTrue(Processes.mailbox().isEmpty());
  }

  @Test
  void proc06_demonitorBeforeFiring_returnsTrue_noDownEver(Node node) {
    Pid p = dieOnCommand(node);
    MonitorRef ref = Processes.monitor(p);
    assertTrue(Processes.demonitor(ref, false));
    assertFalse(Processes.demonitor(ref, false), "a second demonitor finds nothing");
    MonitorRef witness = Processes.monitor(p);
    Processes.send(p, new Die(BOOM));
    Expect.down(witness);
    assertNull(Processes.receive(Down.class, d -> d.ref() == ref, Duration.ZERO));
  }

  @Test
  void proc06_demonitorRacingWithExit_noDownAfterItReturns(Node node) {
    for (int i = 0; i < 500; i++) {
      Pid p = node.spawn(() -> {});
      MonitorRef ref = Processes.monitor(p);
      boolean removed = Processes.demonitor(ref, false);
      MonitorRef witness = Processes.monitor(p);
      Expect.down(witness); // p is dead and every Down it will ever send is queued
      int downs = downsFor(ref).size();
      if (removed) {
        assertEquals(0, downs, "round " + i + ": Down added after demonitor returned true");
      } else {
        assertEquals(1, downs, "round " + i + ": the monitor fired, its Down stays");
        Processes.demonitor(ref, true);
      }
      assertTrue(Processes.mailbox().isEmpty(), "round " + i + ": " + Processes.mailbox());
    }
  }

  @Test
  void proc06_demonitorSomeoneElsesRef_isRejected(Node node) {
    Pid p = idle(node);
    Pid test = Processes.self();
    Pid other =
        node.spawn(
            () -> {
              Processes.send(test, Processes.monitor(p));
              TestProcs.receiveForever();
            });
    MonitorRef theirs = Expect.receive(MonitorRef.class);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Processes.demonitor(theirs));
    assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
  }
}
