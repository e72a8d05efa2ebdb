// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static dev.coppice.core.TestProcs.dieOnCommand;
import static dev.coppice.core.TestProcs.idle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.TestProcs.Die;
import dev.coppice.core.TestProcs.Ping;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NodeExtension.class)
class RegistryTest {

  @Test
  void proc07_register_nameTaken_isRejected_releasedOnDeath(Node node) {
    Pid p1 = dieOnCommand(node);
    Pid p2 = idle(node);
    Processes.register("reg1", p1);
    assertEquals(Optional.of(p1), Processes.whereis("reg1"));
    var taken = assertThrows(IllegalArgumentException.class, () -> Processes.register("reg1", p2));
    assertTrue(taken.getMessage().contains("reg1"), taken.getMessage());

    Processes.send(p1, new Die(ExitReason.other("boom")));
    Expect.down(p1);
    // released before the Down went out: no waiting needed
    assertEquals(Optional.empty(), Processes.whereis("reg1"));
    Processes.register("reg1", p2);
    assertEquals(Optional.of(p2), node.whereis("reg1"));
  }

  @Test
  void proc07_register_pidAlreadyNamed_deadPid_undefined_areRejected(Node node) {
    Pid p = idle(node);
    node.register("first", p);
    var twice = assertThrows(IllegalArgumentException.class, () -> node.register("second", p));
    assertTrue(twice.getMessage().contains("first"), twice.getMessage());

    Pid dead = node.spawn(() -> {});
    Expect.down(dead);
    assertThrows(IllegalArgumentException.class, () -> node.register("ghost", dead));
    assertEquals(Optional.empty(), node.whereis("ghost"));

    Pid q = idle(node);
    assertThrows(IllegalArgumentException.class, () -> node.register("undefined", q));
  }

  @Test
  void proc07_unregister_unknownIsRejected_knownFreesTheName(Node node) {
    assertThrows(IllegalArgumentException.class, () -> Processes.unregister("never"));
    Pid p = idle(node);
    Processes.register("svc", p);
    Processes.unregister("svc");
    assertEquals(Optional.empty(), Processes.whereis("svc"));
    // the process can take a name again
    Processes.register("svc2", p);
    assertEquals(Optional.of(p), Processes.whereis("svc2"));
  }

  @Test
  void proc07_sendToUnregisteredName_isRejected_sendToDeadPid_isSilent(Node node) {
    assertThrows(IllegalArgumentException.class, () -> Processes.send("nobody", new Ping(1)));
    assertThrows(IllegalArgumentException.class, () -> node.send("nobody", new Ping(1)));
    Pid dead = node.spawn(() -> {});
    Expect.down(dead);
    Processes.send(dead, new Ping(1));
    node.send(dead, new Ping(2));
  }

  @Test
  void proc07_sendByName_reachesTheProcess(Node node) {
    Pid f = TestProcs.forwarder(node, () -> {});
    node.register("fwd", f);
    Processes.send("fwd", new Ping(7));
    assertEquals(
        new Ping(7), Expect.receive(TestProcs.Forwarded.class, x -> x.by() == f).message());
    assertTrue(node.registered().contains("fwd"));
  }
}
