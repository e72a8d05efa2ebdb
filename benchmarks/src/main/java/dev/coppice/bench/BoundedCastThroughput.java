// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import dev.coppice.bench.BenchServers.Counter;
import dev.coppice.bench.BenchServers.Inc;
import dev.coppice.bench.BenchServers.Sync;
import dev.coppice.core.MailboxBound;
import dev.coppice.core.MailboxFullException;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.ServerOverloadedException;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.core.genserver.StartOptions;
import java.util.Locale;

/**
 * {@code coppice.cast.bounded.<policy>.1p}: {@link CastThroughput}'s round, against a counter
 * whose mailbox is bounded to {@value #CAPACITY} messages, one producer; messages offered per
 * second. DROP_NEW and DROP_OLDEST drop what does not fit (the round checks that counted plus
 * dropped equals sent); FAIL_SENDER's producer yields and retries each refused cast, so every
 * message arrives and the figure is the rate the consumer sets (backpressure). Compared with
 * Pekko's bounded mailbox ({@code pekko.tell.bounded.tput.1p}, which drops the new message to
 * dead letters as DROP_NEW does).
 */
public final class BoundedCastThroughput implements Figure {
  static final int CAPACITY = 1024;
  private static final Object GO = "go";

  record Done(Pid producer) {}

  @Override
  public String id() {
    return "bounded-cast";
  }

  @Override
  public String suite() {
    return "core";
  }

  @Override
  public void run() throws Exception {
    try (Node node = Node.start()) {
      for (MailboxBound.Overflow policy :
          new MailboxBound.Overflow[] {
            MailboxBound.Overflow.DROP_NEW,
            MailboxBound.Overflow.DROP_OLDEST,
            MailboxBound.Overflow.FAIL_SENDER
          }) {
        MailboxBound bound = new MailboxBound(CAPACITY, policy);
        Harness.throughput(
            "coppice.cast.bounded." + policy.name().toLowerCase(Locale.ROOT) + ".1p",
            "msg/s",
            n -> CallRoundTrip.inProcess(node, () -> round(node, bound, n)));
      }
    }
  }

  static long round(Node node, MailboxBound bound, int total) throws Exception {
    ServerRef<Sync, Inc> counter =
        GenServer.start(node, new Counter(), StartOptions.DEFAULTS.withMailbox(bound)).orElseThrow();
    Pid server = counter.whereis().orElseThrow();
    Pid self = Processes.self();
    long[] syncDrops = new long[1]; // sync calls a drop policy dropped: counted in dropped too
    Pid producer =
        Processes.spawn(
            () -> {
              if (Processes.receive() != GO) {
                throw new AssertionError("expected go");
              }
              for (int i = 0; i < total; i++) {
                for (; ; ) {
                  try {
                    counter.cast(Inc.INC);
                    break;
                  } catch (MailboxFullException full) {
                    Thread.yield(); // backpressure: let the consumer drain
                  }
                }
              }
              syncDrops[0] += syncing(counter);
              Processes.send(self, new Done(Processes.self()));
            });
    Thread.sleep(5); // let the producer reach its receive, as the JVM anchors do
    long t0 = System.nanoTime();
    Processes.send(producer, GO);
    Processes.receive(Done.class);
    long t1 = System.nanoTime();
    long count = counter.call(Sync::new, ServerRef.INFINITY); // the producer is done: room now
    long dropped = node.droppedMessages(server) - syncDrops[0];
    if (count + dropped != total) {
      throw new AssertionError("counted " + count + " and dropped " + dropped + " of " + total);
    }
    counter.stop();
    return t1 - t0;
  }

  /** Syncs with the counter, retrying while it is full; {@return how many tries were dropped} */
  private static long syncing(ServerRef<Sync, Inc> counter) {
    for (long dropped = 0; ; dropped++) {
      try {
        counter.call(Sync::new, ServerRef.INFINITY);
        return dropped;
      } catch (ServerOverloadedException full) {
        Thread.yield();
      }
    }
  }
}
