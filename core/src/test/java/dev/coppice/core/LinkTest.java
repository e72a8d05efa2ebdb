// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static dev.coppice.core.TestProcs.dieOnCommand;
import static dev.coppice.core.TestProcs.forwarder;
import static dev.coppice.core.TestProcs.idle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.TestProcs.Die;
import dev.coppice.core.TestProcs.Forwarded;
import dev.coppice.core.TestProcs.Ping;
import dev.coppice.testkit.Await;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NodeExtension.class)
class LinkTest {
  static final ExitReason BOOM = ExitReason.other("boom");

  @Test
  void proc01_linkedExit_normalIgnored_abnormalKills_trapperGetsExit(Node node) {
    // B exits normal: non-trapping A stays alive
    Pid b1 = dieOnCommand(node);
    Pid a1 = forwarder(node, () -> Processes.link(b1));
    Processes.send(b1, new Die(ExitReason.NORMAL));
    assertEquals(ExitReason.NORMAL, TestProcs.exitReasonOf(b1));
    assertTrue(a1.isAlive(), "a normal exit signal must not kill a non-trapping process");

    // B exits boom: non-trapping A dies with boom
    Pid b2 = dieOnCommand(node);
    Pid a2 = forwarder(node, () -> Processes.link(b2));
    var a2ref = Processes.monitor(a2);
    Processes.send(b2, new Die(BOOM));
    assertEquals(BOOM, Expect.down(a2ref).reason());

    // A traps: it receives Exit(B, boom) instead
    Pid b3 = dieOnCommand(node);
    Pid a3 =
        forwarder(
            node,
            () -> {
              Processes.trapExits(true);
              Processes.link(b3);
            });
    Processes.send(b3, new Die(BOOM));
    Forwarded f = Expect.receive(Forwarded.class, x -> x.by() == a3);
    assertEquals(new Exit(b3, BOOM), f.message());
    assertTrue(a3.isAlive());
  }

  @Test
  void proc01_linksGoBothWays(Node node) {
    Pid b = idle(node);
    // the link is made from the linker's side only; B dies when the linker does
    Pid linker =
        node.spawn(
            () -> {
              Processes.link(b);
              throw Processes.exit(BOOM);
            });
    assertEquals(BOOM, TestProcs.exitReasonOf(linker));
    assertEquals(BOOM, TestProcs.exitReasonOf(b), "the process linked to must die too");
  }

  @Test
  void proc02_killTrappingProcess_downIsKilled_linkedTrapperGetsKilled(Node node) {
    Pid p = forwarder(node, () -> Processes.trapExits(true));
    Pid q =
        forwarder(
            node,
            () -> {
              Processes.trapExits(true);
              Processes.link(p);
            });
    var ref = Processes.monitor(p);
    Processes.exit(p, ExitReason.KILL);
    assertEquals(ExitReason.KILLED, Expect.down(ref).reason(), "kill cannot be trapped");
    Forwarded f = Expect.receive(Forwarded.class, x -> x.by() == q);
    assertEquals(new Exit(p, ExitReason.KILLED), f.message());
    assertTrue(q.isAlive(), "killed is an ordinary, trappable reason for linked processes");
  }

  @Test
  void proc02_killedPropagatesToNonTrappingLinked(Node node) {
    Pid p = idle(node);
    Pid q = forwarder(node, () -> Processes.link(p));
    var ref = Processes.monitor(q);
    Processes.exit(p, ExitReason.KILL);
    assertEquals(ExitReason.KILLED, Expect.down(ref).reason());
  }

  @Test
  void proc02_selfExitKill_sendsTrappableKill(Node node) {
    Pid p = dieOnCommand(node);
    Pid trapper =
        forwarder(
            node,
            () -> {
              Processes.trapExits(true);
              Processes.link(p);
            });
    Pid plain = forwarder(node, () -> Processes.link(p));
    var plainRef = Processes.monitor(plain);
    Processes.send(p, new Die(ExitReason.KILL));
    assertEquals(ExitReason.KILL, TestProcs.exitReasonOf(p));
    assertEquals(
        new Exit(p, ExitReason.KILL),
        Expect.receive(Forwarded.class, x -> x.by() == trapper).message());
    assertEquals(ExitReason.KILL, Expect.down(plainRef).reason());
    assertTrue(trapper.isAlive());
  }

  @Test
  void proc03_exitSignal_normalIgnored_otherReasonKills(Node node) {
    Pid p = idle(node);
    var ref = Processes.monitor(p);
    Processes.exit(p, ExitReason.NORMAL);
    // signals act synchronously on a non-trapping target: it is decided by now
    assertTrue(p.isAlive(), "exit(P, normal) must not kill a non-trapping P");
    Processes.exit(p, ExitReason.SHUTDOWN);
    assertEquals(ExitReason.SHUTDOWN, Expect.down(ref).reason());
  }

  @Test
  void proc03_exitSignalToTrapper_becomesExitFromSender(Node node) {
    Pid p = forwarder(node, () -> Processes.trapExits(true));
    Processes.exit(p, BOOM);
    Processes.exit(p, ExitReason.NORMAL);
    assertEquals(
        new Exit(Processes.self(), BOOM),
        Expect.receive(Forwarded.class, f -> f.by() == p).message());
    assertEquals(
        new Exit(Processes.self(), ExitReason.NORMAL),
        Expect.receive(Forwarded.class, f -> f.by() == p).message());
    assertTrue(p.isAlive());
  }

  @Test
  void proc03_exitSignalFromOutsideProcesses_comesFromSystemPid(Node node) throws Exception {
    Pid p = forwarder(node, () -> Processes.trapExits(true));
    TestProcs.await(
        TestProcs.onPlainThread(
            () -> {
              node.exit(p, BOOM);
              return null;
            }));
    assertEquals(
        new Exit(node.systemPid(), BOOM),
        Expect.receive(Forwarded.class, f -> f.by() == p).message());
  }

  @Test
  void proc03_exitSelfNormal_killsNonTrappingCaller(Node node) {
    AtomicBoolean after = new AtomicBoolean();
    Pid p =
        node.spawn(
            () -> {
              Processes.exit(Processes.self(), ExitReason.NORMAL);
              after.set(true);
              TestProcs.receiveForever();
            });
    assertEquals(ExitReason.NORMAL, TestProcs.exitReasonOf(p));
    assertFalse(after.get());
  }

  @Test
  void proc04_linkToDeadPid_trapperGetsExitNoproc(Node node) {
    Pid d = node.spawn(() -> {});
    Expect.down(d);
    Pid p =
        forwarder(
            node,
            () -> {
              Processes.trapExits(true);
              Processes.link(d); // returns: no exception in a trapping caller
            });
    assertEquals(
        new Exit(d, ExitReason.NOPROC),
        Expect.receive(Forwarded.class, f -> f.by() == p).message());
  }

  @Test
  void proc04_linkToDeadPid_nonTrappingCallerDiesWithNoproc(Node node) {
    Pid d = node.spawn(() -> {});
    Expect.down(d);
    Pid p =
        node.spawn(
            () -> {
              Processes.link(d);
              TestProcs.receiveForever();
            });
    assertEquals(ExitReason.NOPROC, TestProcs.exitReasonOf(p));
  }

  @Test
  void proc04_linkSelf_andUnlinkNotLinked_doNothing(Node node) {
    Processes.link(Processes.self());
    Pid other = idle(node);
    Processes.unlink(other);
    Processes.exit(other, BOOM);
    Expect.down(other);
    assertTrue(Processes.self().isAlive());
    assertNull(Processes.receive(Exit.class, e -> true, Duration.ZERO));
  }

  @Test
  void proc04_unlink_stopsSignals_butQueuedExitStays(Node node) {
    Processes.trapExits(true);
    Pid b = dieOnCommand(node);
    Processes.link(b);
    var ref = Processes.monitor(b);
    Processes.send(b, new Die(BOOM));
    Expect.down(ref); // the link fired before the monitor
    Processes.unlink(b);
    assertEquals(new Exit(b, BOOM), Processes.receive(Exit.class, e -> true, Duration.ZERO));

    // after unlink returns, the link is gone for good
    Processes.trapExits(false);
    Pid c = dieOnCommand(node);
    Processes.link(c);
    Processes.unlink(c);
    Processes.send(c, new Die(BOOM));
    Expect.down(c);
    assertTrue(Processes.self().isAlive());
  }

  @Test
  void proc04_unlinkWhileLinkedProcessIsExiting_linkNoLongerFires(Node node) {
    // B is dead but its signals have not gone out yet (its exit hook holds them back) when A
    // unlinks: once unlink has returned, the link must not kill A.
    Pid b = dieOnCommand(node);
    AtomicBoolean unlinked = new AtomicBoolean();
    Processes.onExit(
        b, (pid, r) -> Await.until("A unlinked", unlinked::get, Duration.ofSeconds(10)));
    Pid test = Processes.self();
    Pid a =
        node.spawn(
            () -> {
              Processes.link(b);
              Processes.send(b, new Die(BOOM));
              Await.until("B is dead", () -> !b.isAlive());
              Processes.unlink(b);
              unlinked.set(true);
              Processes.send(test, "unlinked");
              TestProcs.receiveForever();
            });
    var ref = Processes.monitor(a);
    assertEquals("unlinked", Expect.next());
    assertEquals(BOOM, TestProcs.exitReasonOf(b));
    Processes.exit(a, ExitReason.other("done"));
    assertEquals(ExitReason.other("done"), Expect.down(ref).reason(), "A survived B's exit");
  }

  @Test
  void proc04_unlinkRacingWithExit_neverKillsAfterUnlinkReturned(Node node) {
    // the same race left to chance: either the signal arrived first (A is dead and unlink
    // throws), or unlink won and A survives
    for (int i = 0; i < 200; i++) {
      Pid b = dieOnCommand(node);
      AtomicBoolean unlinked = new AtomicBoolean();
      Pid a =
          node.spawn(
              () -> {
                Processes.link(b);
                Processes.send(b, new Die(BOOM));
                Processes.unlink(b);
                unlinked.set(true);
                Expect.down(b);
              });
      ExitReason r = TestProcs.exitReasonOf(a);
      if (unlinked.get()) {
        assertEquals(ExitReason.NORMAL, r, "round " + i + ": killed after unlink returned");
      } else {
        assertEquals(BOOM, r, "round " + i);
      }
    }
  }

  @Test
  void proc10_trapExits_defaultFalse_returnsOld_appliesToLaterSignals(Node node) {
    assertFalse(Processes.trapsExits());
    Pid p =
        forwarder(
            node,
            () -> {
              boolean initial = Processes.trapsExits();
              boolean old1 = Processes.trapExits(true);
              boolean old2 = Processes.trapExits(true);
              boolean old3 = Processes.trapExits(false);
              Processes.send(Processes.self(), new Ping(initial || old1 || !old2 || !old3 ? 0 : 1));
            });
    assertEquals(new Ping(1), Expect.receive(Forwarded.class, f -> f.by() == p).message());
    var ref = Processes.monitor(p);
    Processes.exit(p, BOOM);
    assertEquals(BOOM, Expect.down(ref).reason(), "toggled back to false: boom kills");
  }

  @Test
  void proc10_trapExitsChange_appliesToSignalsAfterIt(Node node) {
    Pid test = Processes.self();
    Pid p =
        node.spawn(
            () -> {
              Processes.trapExits(true);
              Processes.send(test, new TestProcs.Ready(Processes.self()));
              Processes.receive(Ping.class);
              // the signal sent while trapping stays a message, even after trapping stops
              Processes.trapExits(false);
              Exit queued = Processes.receive(Exit.class, e -> true, Duration.ZERO);
              Processes.send(test, new Forwarded(Processes.self(), queued));
              TestProcs.receiveForever();
            });
    var ref = Processes.monitor(p);
    Expect.receive(TestProcs.Ready.class, r -> r.pid() == p);
    Processes.exit(p, BOOM);
    Processes.send(p, new Ping(1));
    assertEquals(new Exit(test, BOOM), Expect.receive(Forwarded.class, f -> f.by() == p).message());
    assertTrue(p.isAlive());
    Processes.exit(p, BOOM);
    assertEquals(BOOM, Expect.down(ref).reason());
  }

  @Test
  void longLinkChain_diesWithoutStackOverflow(Node node) {
    final int n = 20_000;
    Pid test = Processes.self();
    Pid first = node.spawn(() -> chain(test, n - 1));
    Pid last = Expect.receive(TestProcs.Ready.class).pid();
    var ref = Processes.monitor(last);
    int before = node.processCount();
    assertTrue(before >= n, "chain built: " + before);
    Processes.exit(first, ExitReason.KILL);
    assertEquals(1, node.processCount(), "the whole chain is dead when exit(kill) returns");
    Down d = Processes.receive(Down.class, x -> x.ref() == ref, Duration.ZERO);
    assertEquals(ExitReason.KILLED, d.reason());
    assertTrue(node.awaitThreads(Duration.ofSeconds(10)), "every chain thread ends");
  }

  private static void chain(Pid test, int left) {
    if (left == 0) {
      Processes.send(test, new TestProcs.Ready(Processes.self()));
    } else {
      Processes.spawnLink(() -> chain(test, left - 1));
    }
    TestProcs.receiveForever();
  }

  @Test
  void spawnLink_linkExistsBeforeChildRuns(Node node) {
    Processes.trapExits(true);
    Pid child =
        Processes.spawnLink(
            () -> {
              throw Processes.exit(BOOM);
            });
    assertEquals(new Exit(child, BOOM), Expect.receive(Exit.class, e -> e.from() == child));
  }
}
