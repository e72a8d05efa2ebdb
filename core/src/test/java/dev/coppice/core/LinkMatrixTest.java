// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.TestProcs.Forwarded;
import dev.coppice.core.TestProcs.Ping;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.NodeExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PROC-01/02/03 as tables: what a process does with an exit signal, by whether it traps exits, the
 * reason, and whether it is linked to (or the target of) the exiting process.
 */
@ExtendWith(NodeExtension.class)
class LinkMatrixTest {

  enum How {
    /** B returns from its body. */
    NORMAL,
    SHUTDOWN,
    SHUTDOWN_DETAIL,
    /** B calls exit(kill) on itself: linked processes get an ordinary, trappable {@code kill}. */
    KILL_SELF,
    /** B is killed with exit(B, kill): linked processes get {@code killed}. */
    KILLED,
    /** B throws. */
    CRASH,
    OTHER;

    ExitReason reason(RuntimeException crash) {
      return switch (this) {
        case NORMAL -> ExitReason.NORMAL;
        case SHUTDOWN -> ExitReason.SHUTDOWN;
        case SHUTDOWN_DETAIL -> ExitReason.shutdown("bye");
        case KILL_SELF -> ExitReason.KILL;
        case KILLED -> ExitReason.KILLED;
        case CRASH -> ExitReason.crash(crash);
        case OTHER -> ExitReason.other("boom");
      };
    }
  }

  enum Outcome {
    DIES,
    GETS_EXIT,
    IGNORES
  }

  @ParameterizedTest(name = "trapExits={0}, {1}, linked={2} -> {3}")
  @CsvSource({
    // trapExits, how B ends, linked, what A does
    "false, NORMAL,          true,  IGNORES",
    "false, SHUTDOWN,        true,  DIES",
    "false, SHUTDOWN_DETAIL, true,  DIES",
    "false, KILL_SELF,       true,  DIES",
    "false, KILLED,          true,  DIES",
    "false, CRASH,           true,  DIES",
    "false, OTHER,           true,  DIES",
    "true,  NORMAL,          true,  GETS_EXIT",
    "true,  SHUTDOWN,        true,  GETS_EXIT",
    "true,  SHUTDOWN_DETAIL, true,  GETS_EXIT",
    "true,  KILL_SELF,       true,  GETS_EXIT",
    "true,  KILLED,          true,  GETS_EXIT",
    "true,  CRASH,           true,  GETS_EXIT",
    "true,  OTHER,           true,  GETS_EXIT",
    "false, NORMAL,          false, IGNORES",
    "false, SHUTDOWN,        false, IGNORES",
    "false, KILLED,          false, IGNORES",
    "false, CRASH,           false, IGNORES",
    "false, OTHER,           false, IGNORES",
    "true,  NORMAL,          false, IGNORES",
    "true,  KILL_SELF,       false, IGNORES",
    "true,  KILLED,          false, IGNORES",
    "true,  CRASH,           false, IGNORES",
    "true,  OTHER,           false, IGNORES",
  })
  void proc01_linkMatrix(boolean trapExits, How how, boolean linked, Outcome expected, Node node) {
    RuntimeException crash = new IllegalStateException("boom");
    ExitReason reason = how.reason(crash);
    Pid b =
        node.spawn(
            () -> {
              Processes.receive(Ping.class);
              switch (how) {
                case NORMAL -> {}
                case CRASH -> throw crash;
                case KILLED -> TestProcs.receiveForever();
                default -> throw Processes.exit(reason);
              }
            });
    Pid a =
        TestProcs.forwarder(
            node,
            () -> {
              Processes.trapExits(trapExits);
              if (linked) {
                Processes.link(b);
              }
            });
    var aRef = Processes.monitor(a);
    var bRef = Processes.monitor(b);
    if (how == How.KILLED) {
      Processes.exit(b, ExitReason.KILL);
    } else {
      Processes.send(b, new Ping(0));
    }
    assertEquals(reason, Expect.down(bRef).reason());
    if (how == How.CRASH) {
      assertEquals(1, LogCapture.errors().size(), "one crash report for B");
    }
    // B's links fired before its monitors, so A's fate is already settled here
    switch (expected) {
      case DIES -> assertEquals(reason, Expect.down(aRef).reason());
      case GETS_EXIT -> {
        Forwarded f = Expect.receive(Forwarded.class, x -> x.by() == a);
        assertEquals(new Exit(b, reason), f.message());
        assertTrue(a.isAlive());
      }
      case IGNORES -> {
        assertTrue(a.isAlive());
        Processes.send(a, new Ping(1));
        Forwarded f = Expect.receive(Forwarded.class, x -> x.by() == a);
        assertInstanceOf(Ping.class, f.message(), "no Exit was queued before the ping");
      }
    }
  }

  @ParameterizedTest(name = "trapExits={0}, exit(P, {1}) -> {2}")
  @CsvSource({
    "false, NORMAL,          IGNORES",
    "false, SHUTDOWN,        DIES",
    "false, SHUTDOWN_DETAIL, DIES",
    "false, OTHER,           DIES",
    "false, KILL,            DIES",
    "true,  NORMAL,          GETS_EXIT",
    "true,  SHUTDOWN,        GETS_EXIT",
    "true,  SHUTDOWN_DETAIL, GETS_EXIT",
    "true,  OTHER,           GETS_EXIT",
    "true,  KILL,            DIES",
  })
  void proc03_exitSignalMatrix(boolean trapExits, String reasonName, Outcome expected, Node node) {
    ExitReason reason =
        switch (reasonName) {
          case "NORMAL" -> ExitReason.NORMAL;
          case "SHUTDOWN" -> ExitReason.SHUTDOWN;
          case "SHUTDOWN_DETAIL" -> ExitReason.shutdown("bye");
          case "KILL" -> ExitReason.KILL;
          default -> ExitReason.other("boom");
        };
    Pid p = TestProcs.forwarder(node, () -> Processes.trapExits(trapExits));
    var ref = Processes.monitor(p);
    Processes.exit(p, reason);
    switch (expected) {
      case DIES ->
          assertEquals(
              reason == ExitReason.KILL ? ExitReason.KILLED : reason, Expect.down(ref).reason());
      case GETS_EXIT ->
          assertEquals(
              new Exit(Processes.self(), reason),
              Expect.receive(Forwarded.class, f -> f.by() == p).message());
      case IGNORES -> {
        Processes.send(p, new Ping(1));
        assertInstanceOf(Ping.class, Expect.receive(Forwarded.class, f -> f.by() == p).message());
        assertTrue(p.isAlive());
      }
    }
  }
}
