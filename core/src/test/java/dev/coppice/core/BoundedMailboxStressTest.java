// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fast producer against a slow consumer with a bounded mailbox: the mailbox never holds more
 * than its bound, and the heap does not grow with the number of messages sent.
 */
@ExtendWith(NodeExtension.class)
class BoundedMailboxStressTest {
  static final int CAPACITY = 1_000;

  record Msg(long n, byte[] payload) {}

  record Done(long received) {}

  private static long heapAfterGc() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static void run(Node node, MailboxBound bound, int messages, boolean checkHeap) {
    Pid test = Processes.self();
    AtomicInteger maxSeen = new AtomicInteger();
    Pid consumer =
        node.spawn(
            () -> {
              long received = 0;
              for (; ; ) {
                Object m = Processes.receive();
                if (m instanceof String) {
                  Processes.send(test, new Done(received));
                  return;
                }
                received++;
                for (int spin = 0; spin < 200; spin++) { // slow: some work per message
                  Thread.onSpinWait();
                }
              }
            },
            bound);
    long before = checkHeap ? heapAfterGc() : 0;
    long peak = 0;
    for (int i = 0; i < messages; i++) {
      node.send(consumer, new Msg(i, new byte[256]));
      if ((i & 1023) == 0) {
        int length = node.messageQueueLength(consumer);
        maxSeen.accumulateAndGet(length, Math::max);
        if (checkHeap && (i & ((1 << 18) - 1)) == 0) {
          peak = Math.max(peak, heapAfterGc());
        }
      }
    }
    node.sendSystem(consumer, "done"); // a system message: never dropped
    Done done = Expect.receive(Done.class);
    assertTrue(maxSeen.get() <= CAPACITY, () -> "the mailbox held " + maxSeen.get());
    assertEquals(messages, done.received() + node.droppedMessages(consumer));
    assertTrue(node.droppedMessages(consumer) > 0, "the producer outran the consumer");
    if (checkHeap) {
      long growth = peak - before;
      // the bound holds at most CAPACITY messages of ~300 bytes: well under 16 MB whatever was sent
      assertTrue(growth < 16L << 20, () -> "the heap grew by " + growth + " bytes");
    }
  }

  @Test
  void slowConsumer_dropOldest_staysWithinItsBound(Node node) {
    run(node, MailboxBound.dropOldest(CAPACITY), 100_000, false);
  }

  @Test
  void slowConsumer_dropNew_staysWithinItsBound(Node node) {
    run(node, MailboxBound.dropNew(CAPACITY), 100_000, false);
  }

  @Test
  @Tag("stress")
  void stress_slowConsumer_dropOldest_heapStaysFlat(Node node) {
    run(node, MailboxBound.dropOldest(CAPACITY), 5_000_000, true);
  }

  @Test
  @Tag("stress")
  void stress_slowConsumer_dropNew_heapStaysFlat(Node node) {
    run(node, MailboxBound.dropNew(CAPACITY), 5_000_000, true);
  }
}
