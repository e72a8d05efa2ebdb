// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many processes linking, unlinking, monitoring, signalling and killing each other at once: the
 * per-process locks (taken in pairs for links) must never deadlock, links must stay symmetric, and
 * every process must end exactly once with one Down per monitor.
 */
@ExtendWith(NodeExtension.class)
class SignalStormTest {
  record Go() {}

  @Test
  void concurrentLinksMonitorsAndKills_noDeadlock_linksSymmetric_oneDownEach(Node node) {
    long seed = System.nanoTime();
    final int n = 24;
    final int ops = 1_500;
    Pid test = Processes.self();
    AtomicReferenceArray<Pid> peers = new AtomicReferenceArray<>(n);
    List<Pid> workers = new ArrayList<>();
    for (int w = 0; w < n; w++) {
      final long mySeed = seed + w;
      Pid p =
          node.spawn(
              () -> {
                Processes.trapExits(true); // signals become messages: only kills end workers
                Processes.send(test, new TestProcs.Ready(Processes.self()));
                Processes.receive(Go.class);
                Random rnd = new Random(mySeed);
                List<MonitorRef> refs = new ArrayList<>();
                for (int i = 0; i < ops; i++) {
                  Pid other = peers.get(rnd.nextInt(n));
                  switch (rnd.nextInt(7)) {
                    case 0, 1 -> Processes.link(other);
                    case 2 -> Processes.unlink(other);
                    case 3 -> refs.add(Processes.monitor(other));
                    case 4 -> {
                      if (!refs.isEmpty()) {
                        Processes.demonitor(refs.remove(rnd.nextInt(refs.size())), true);
                      }
                    }
                    case 5 -> Processes.exit(other, ExitReason.other("poke"));
                    default -> Processes.send(other, i);
                  }
                  while (Processes.receive(Duration.ZERO) != null) {
                    // drain
                  }
                }
                Processes.send(test, "done");
                TestProcs.receiveForever();
              });
      peers.set(w, p);
      workers.add(p);
    }
    List<MonitorRef> mine = new ArrayList<>();
    for (Pid p : workers) {
      mine.add(Processes.monitor(p));
      Expect.receive(TestProcs.Ready.class, r -> r.pid() == p);
    }
    for (Pid p : workers) {
      Processes.send(p, new Go());
    }
    for (int w = 0; w < n; w++) {
      Expect.receive(String.class, "done"::equals);
    }
    // quiescent: every link is recorded on both sides
    for (Pid a : workers) {
      for (Pid b : workers) {
        assertEquals(
            a.proc.isLinkedTo(b.proc),
            b.proc.isLinkedTo(a.proc),
            "asymmetric link " + a + " / " + b + ", seed " + seed);
      }
    }
    // two killers race to kill everyone while links fire between the victims
    Random rnd = new Random(seed);
    List<Pid> order1 = new ArrayList<>(workers);
    List<Pid> order2 = new ArrayList<>(workers);
    java.util.Collections.shuffle(order1, rnd);
    java.util.Collections.shuffle(order2, rnd);
    Pid k1 = node.spawn(() -> order1.forEach(p -> Processes.exit(p, ExitReason.KILL)));
    Pid k2 = node.spawn(() -> order2.forEach(p -> Processes.exit(p, ExitReason.KILL)));
    Set<MonitorRef> downs = new HashSet<>();
    for (int w = 0; w < n; w++) {
      Down d = Expect.receive(Down.class, x -> mine.contains(x.ref()));
      assertTrue(downs.add(d.ref()), "two Downs for one monitor, seed " + seed);
      assertEquals(ExitReason.KILLED, d.reason(), "seed " + seed);
    }
    Expect.down(k1);
    Expect.down(k2);
    assertEquals(1, node.processCount(), "seed " + seed);
    assertTrue(node.awaitThreads(Duration.ofSeconds(10)), "seed " + seed);
  }
}
