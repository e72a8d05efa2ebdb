// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench.jmh;

import dev.coppice.bench.BenchServers.Counter;
import dev.coppice.bench.BenchServers.Inc;
import dev.coppice.bench.BenchServers.Sync;
import dev.coppice.core.Node;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.ServerRef;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH view of {@code coppice.cast.tput.1p}, for profiling: one producer process casts a batch to a
 * counter and waits for it with a sync call; time per cast ({@code jmh -prof gc CastJmh}: bytes
 * per cast).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xms8g", "-Xmx8g", "-XX:+UseG1GC", "-XX:+AlwaysPreTouch", "--sun-misc-unsafe-memory-access=allow"
    })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CastJmh {
  static final int BATCH = 1_000_000;

  Node node;
  ServerRef<Sync, Inc> counter;

  /** Starts the node and the counter. */
  @Setup
  public void setup() {
    node = Node.start();
    counter = GenServer.start(node, new Counter()).orElseThrow();
  }

  /** Closes the node. */
  @TearDown
  public void tearDown() {
    node.close();
  }

  /**
   * A batch of casts from one process, then a sync call.
   *
   * @return the count (consumed by JMH)
   * @throws Exception if the batch fails
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long cast() throws Exception {
    CompletableFuture<Long> done = new CompletableFuture<>();
    node.spawn(
        () -> {
          for (int i = 0; i < BATCH; i++) {
            counter.cast(Inc.INC);
          }
          done.complete(counter.call(Sync::new));
          Processes.ensureAlive();
        });
    return done.get(1, TimeUnit.MINUTES);
  }
}
