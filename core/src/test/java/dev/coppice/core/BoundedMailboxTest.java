// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.genserver.From;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;
import dev.coppice.core.genserver.ServerOverloadedException;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.core.genserver.StartOptions;
import dev.coppice.testkit.AllowErrorLogs;
import dev.coppice.testkit.Await;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bounded mailboxes: each overflow policy, the system-message exemptions, calls and casts. */
@ExtendWith(NodeExtension.class)
class BoundedMailboxTest {
  static final int PRODUCERS = 8;
  static final int PER_PRODUCER = 2_000;
  static final int CAPACITY = 64;

  record Msg(int producer, int seq) {}

  record Go() {}

  record Drained(List<Object> messages) {}

  private final CountDownLatch gate = new CountDownLatch(1);

  /**
   * A process with {@code bound} that does not receive until the test opens the gate (a latch:
   * a selective receive would look at the messages, and looked-at messages no longer count), then
   * drains its mailbox and reports what it found.
   */
  private Pid gated(Node node, MailboxBound bound, CountDownLatch ready) {
    Pid test = Processes.self();
    return node.spawn(
        () -> {
          ready.countDown();
          try {
            gate.await();
          } catch (InterruptedException e) {
            throw Processes.exit(ExitReason.KILLED);
          }
          List<Object> got = new ArrayList<>();
          Object m;
          while ((m = Processes.receive(Duration.ZERO)) != null) {
            got.add(m);
          }
          Processes.send(test, new Drained(got));
        },
        bound);
  }

  /** Every producer sends its messages at once; {@return how many sends threw, per producer} */
  private static int[] flood(Pid to) throws Exception {
    int[] refused = new int[PRODUCERS];
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        int producer = p;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < PER_PRODUCER; i++) {
                    try {
                      to.node().send(to, new Msg(producer, i));
                    } catch (MailboxFullException e) {
                      assertEquals(to, e.receiver());
                      refused[producer]++;
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    }
    return refused;
  }

  /** Order kept per producer for what was delivered; returns the delivered Msgs. */
  private static List<Msg> assertOrderPerProducer(List<Object> got) {
    Map<Integer, Integer> last = new HashMap<>();
    List<Msg> msgs = new ArrayList<>();
    for (Object o : got) {
      Msg m = (Msg) o;
      Integer before = last.put(m.producer(), m.seq());
      assertTrue(before == null || before < m.seq(), () -> "out of order: " + m + " after " + before);
      msgs.add(m);
    }
    assertEquals(msgs.size(), new HashSet<>(msgs).size(), "a message was delivered twice");
    return msgs;
  }

  private List<Object> release(Node node, Pid p) {
    gate.countDown();
    return Expect.receive(Drained.class).messages();
  }

  @Test
  void dropNew_manyProducers_keepsTheFirstCapacity_countsTheRestExactly(Node node)
      throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    Pid p = gated(node, MailboxBound.dropNew(CAPACITY), ready);
    assertTrue(ready.await(10, TimeUnit.SECONDS));
    int[] refused = flood(p);
    assertEquals(0, java.util.Arrays.stream(refused).sum(), "DROP_NEW never fails a sender");
    assertEquals(CAPACITY, node.messageQueueLength(p));
    long dropped = node.droppedMessages(p);
    List<Msg> got = assertOrderPerProducer(release(node, p));
    assertEquals(CAPACITY, got.size());
    assertEquals(PRODUCERS * PER_PRODUCER, got.size() + dropped);
  }

  @Test
  void dropOldest_oneProducer_keepsTheNewestCapacity(Node node) throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    Pid p = gated(node, MailboxBound.dropOldest(CAPACITY), ready);
    assertTrue(ready.await(10, TimeUnit.SECONDS));
    for (int i = 0; i < 1_000; i++) {
      node.send(p, new Msg(0, i));
    }
    assertEquals(1_000 - CAPACITY, node.droppedMessages(p));
    List<Msg> got = assertOrderPerProducer(release(node, p));
    List<Msg> newest = new ArrayList<>();
    for (int i = 1_000 - CAPACITY; i < 1_000; i++) {
      newest.add(new Msg(0, i));
    }
    assertEquals(newest, got);
  }

  @Test
  void dropOldest_manyProducers_countsExactly_andKeepsOrder(Node node) throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    Pid p = gated(node, MailboxBound.dropOldest(CAPACITY), ready);
    assertTrue(ready.await(10, TimeUnit.SECONDS));
    flood(p);
    long dropped = node.droppedMessages(p);
    List<Msg> got = assertOrderPerProducer(release(node, p));
    assertEquals(CAPACITY, got.size());
    assertEquals(PRODUCERS * PER_PRODUCER, got.size() + dropped);
    // each producer's last message is among the newest unless CAPACITY newer ones came after it:
    // at least the very last message sent overall is there
    assertTrue(got.stream().anyMatch(m -> m.seq() == PER_PRODUCER - 1));
  }

  @Test
  void failSender_manyProducers_refusesExactlyWhatDidNotFit(Node node) throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    Pid p = gated(node, MailboxBound.failSender(CAPACITY), ready);
    assertTrue(ready.await(10, TimeUnit.SECONDS));
    int[] refused = flood(p);
    int refusedTotal = java.util.Arrays.stream(refused).sum();
    assertEquals(0, node.droppedMessages(p), "refused is not dropped");
    List<Msg> got = assertOrderPerProducer(release(node, p));
    assertEquals(CAPACITY, got.size());
    assertEquals(PRODUCERS * PER_PRODUCER, got.size() + refusedTotal);
    Map<Integer, Integer> perProducer = new HashMap<>();
    got.forEach(m -> perProducer.merge(m.producer(), 1, Integer::sum));
    for (int i = 0; i < PRODUCERS; i++) {
      assertEquals(PER_PRODUCER, perProducer.getOrDefault(i, 0) + refused[i]);
    }
  }

  @Test
  @AllowErrorLogs
  void killReceiver_overflow_killsItWithAReasonNamingTheOverflow(Node node) throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    Pid p = gated(node, MailboxBound.killReceiver(3), ready);
    assertTrue(ready.await(10, TimeUnit.SECONDS));
    MonitorRef ref = Processes.monitor(p);
    for (int i = 0; i < 3; i++) {
      node.send(p, new Msg(0, i));
    }
    assertTrue(Processes.isAlive(p));
    node.send(p, new Msg(0, 3)); // one too many
    Down down = Expect.down(ref);
    ExitReason.Other reason = assertInstanceOf(ExitReason.Other.class, down.reason());
    assertEquals(new MailboxBound.Overflowed(p, 3), reason.term());
    assertEquals(1, node.droppedMessages(p));
    assertTrue(LogCapture.errors().stream().anyMatch(e -> e.message().contains("overflowed")));
  }

  @Test
  void systemMessages_areNeitherCountedNorDropped(Node node) throws Exception {
    Pid test = Processes.self();
    CountDownLatch full = new CountDownLatch(1);
    Pid p =
        node.spawn(
            () -> {
              Processes.trapExits(true);
              Pid linked = Processes.spawnLink(() -> Processes.receive(Go.class));
              Pid watched = Processes.spawn(() -> Processes.receive(Go.class));
              Processes.monitor(watched);
              Processes.send(test, List.of(linked, watched));
              full.countDown();
              try {
                gate.await(); // the test fills the mailbox meanwhile
              } catch (InterruptedException e) {
                throw Processes.exit(ExitReason.KILLED);
              }
              List<Object> got = new ArrayList<>();
              Object m;
              while ((m = Processes.receive(Duration.ofMillis(0))) != null) {
                got.add(m);
              }
              Processes.send(test, new Drained(got));
            },
            MailboxBound.killReceiver(1));
    @SuppressWarnings("unchecked")
    List<Pid> others = Expect.receive(List.class);
    assertTrue(full.await(10, TimeUnit.SECONDS));
    node.send(p, new Msg(0, 0)); // the mailbox is full now: one more application message kills
    Processes.send(others.get(0), new Go()); // linked exits: Exit to a trapping, full process
    Processes.send(others.get(1), new Go()); // watched exits: Down
    node.sendSystem(p, "a table transfer, say");
    Await.until("the Exit and the Down to arrive", () -> node.messageQueueLength(p) == 4);
    gate.countDown();
    List<Object> got = Expect.receive(Drained.class).messages();
    assertEquals(new Msg(0, 0), got.get(0));
    assertTrue(got.stream().anyMatch(m -> m instanceof Exit e && e.from().equals(others.get(0))));
    assertTrue(got.stream().anyMatch(m -> m instanceof Down d && d.pid().equals(others.get(1))));
    assertTrue(got.contains("a table transfer, say"));
    assertEquals(0, node.droppedMessages(p));
  }

  record Work(int n, From<Integer> from) {}

  /** Replies n to every Work once it is released; blocks its loop on a latch until then. */
  static final class Gate implements GenServer<Integer, Work, Go> {
    private final CountDownLatch open;
    private final CountDownLatch busy;

    Gate(CountDownLatch open, CountDownLatch busy) {
      this.open = open;
      this.busy = busy;
    }

    @Override
    public Init<Integer> init() {
      return Init.ok(0);
    }

    @Override
    public Next<Integer> handleCall(Work w, Integer s) {
      if (w.n() < 0) { // the first call parks the server, so that the rest queue up
        busy.countDown();
        try {
          open.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return Next.reply(w.from(), w.n(), s);
    }

    @Override
    public Next<Integer> handleCast(Go go, Integer s) {
      return Next.noreply(s);
    }
  }

  private void callsAgainstAFullServer(Node node, MailboxBound bound) throws Exception {
    CountDownLatch open = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(1);
    ServerRef<Work, Go> gate =
        GenServer.start(node, new Gate(open, busy), StartOptions.DEFAULTS.withMailbox(bound))
            .orElseThrow();
    int callers = 40;
    Set<Integer> answered = ConcurrentHashMap.newKeySet();
    Set<Integer> overloaded = ConcurrentHashMap.newKeySet();
    AtomicInteger settled = new AtomicInteger();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Integer> first =
          pool.submit(() -> gate.call(from -> new Work(-1, from), Duration.ofSeconds(30)));
      assertTrue(busy.await(10, TimeUnit.SECONDS));
      for (int i = 0; i < callers; i++) {
        int n = i;
        pool.submit(
            () -> {
              try {
                answered.add(gate.call(from -> new Work(n, from), Duration.ofSeconds(30)));
              } catch (ServerOverloadedException e) {
                overloaded.add(n);
              }
              settled.incrementAndGet();
              return null;
            });
      }
      // every call beyond the bound fails at once, long before the 30 s timeout
      Await.until(
          "overloaded calls to fail", () -> overloaded.size() == callers - bound.capacity());
      open.countDown();
      assertEquals(-1, first.get(10, TimeUnit.SECONDS));
    }
    assertEquals(callers, settled.get());
    assertEquals(callers - bound.capacity(), overloaded.size());
    assertEquals(bound.capacity(), answered.size());
    Set<Integer> both = new HashSet<>(answered);
    both.retainAll(overloaded);
    assertEquals(Set.of(), both, "no call both answered and dropped");
  }

  @Test
  void failSender_callsBeyondTheBound_failAtOnceAsOverloaded(Node node) throws Exception {
    callsAgainstAFullServer(node, MailboxBound.failSender(5));
  }

  @Test
  void dropNew_callsBeyondTheBound_failAtOnceAsOverloaded(Node node) throws Exception {
    callsAgainstAFullServer(node, MailboxBound.dropNew(5));
  }

  @Test
  void dropOldest_droppedCalls_failAtOnceAsOverloaded(Node node) throws Exception {
    callsAgainstAFullServer(node, MailboxBound.dropOldest(5));
  }

  @Test
  void failSender_cast_throwsMailboxFull(Node node) throws Exception {
    CountDownLatch open = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(1);
    ServerRef<Work, Go> gate =
        GenServer.start(
                node, new Gate(open, busy), StartOptions.DEFAULTS.withMailbox(MailboxBound.failSender(2)))
            .orElseThrow();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Integer> first =
          pool.submit(() -> gate.call(from -> new Work(-1, from), Duration.ofSeconds(30)));
      assertTrue(busy.await(10, TimeUnit.SECONDS));
      gate.cast(new Go());
      gate.cast(new Go());
      MailboxFullException e = assertThrows(MailboxFullException.class, () -> gate.cast(new Go()));
      assertEquals(2, e.capacity());
      open.countDown();
      first.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void timerMessages_toAFullFailSenderMailbox_areDroppedAndCounted(Node node) throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    Pid p = gated(node, MailboxBound.failSender(1), ready);
    assertTrue(ready.await(10, TimeUnit.SECONDS));
    node.send(p, new Msg(0, 0));
    Processes.sendAfter(Duration.ZERO, p, new Msg(0, 1));
    Await.until("the timer's message to be dropped", () -> node.droppedMessages(p) == 1);
    assertEquals(List.of(new Msg(0, 0)), release(node, p));
  }

  @Test
  void bound_capacityBelowOne_isRefusedWithTheValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MailboxBound.dropNew(0));
    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
  }
}
