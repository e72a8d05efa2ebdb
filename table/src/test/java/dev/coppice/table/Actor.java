// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.testkit.Expect;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A test process that runs jobs on request, so a test can act "as process Q": create a table owned
 * by Q, or try an operation from Q and see what Q got back (its result or its exception).
 */
final class Actor {
  private static final AtomicLong IDS = new AtomicLong();

  private record Job(long id, Pid replyTo, Supplier<?> fn) {}

  private record Result(long id, Object value, RuntimeException failure) {}

  private record Stop() {}

  final Pid pid;

  private Actor(Pid pid) {
    this.pid = pid;
  }

  static Actor spawn(Node node) {
    return new Actor(node.spawn(Actor::loop));
  }

  private static void loop() {
    for (; ; ) {
      Object m = Processes.receive();
      if (m instanceof Stop) {
        return;
      }
      if (m instanceof Job job) {
        Object value = null;
        RuntimeException failure = null;
        try {
          value = job.fn().get();
        } catch (RuntimeException e) { // reported to the caller, who asserts on it
          failure = e;
        }
        Processes.send(job.replyTo(), new Result(job.id(), value, failure));
      }
    }
  }

  /** Runs {@code fn} in this process and returns its result, or rethrows its exception. */
  @SuppressWarnings("unchecked")
  <T> T call(Supplier<T> fn) {
    long id = IDS.incrementAndGet();
    Processes.send(pid, new Job(id, Processes.self(), fn));
    Result r = Expect.receive(Result.class, x -> x.id() == id);
    if (r.failure() != null) {
      throw r.failure();
    }
    return (T) r.value();
  }

  /** Runs {@code action} in this process. */
  void run(Runnable action) {
    call(
        () -> {
          action.run();
          return null;
        });
  }

  /** Asks the process to return normally. */
  void stop() {
    Processes.send(pid, new Stop());
  }
}
