// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench.jmh;

import dev.coppice.bench.BenchServers.Echo;
import dev.coppice.bench.BenchServers.Ping;
import dev.coppice.bench.CallRoundTrip;
import dev.coppice.core.Node;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.ServerRef;
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
 * JMH view of {@code coppice.call.rtt}, for profiling ({@code jmh -prof gc CallJmh} gives the
 * bytes allocated per call). JMH's own threads are platform threads, not processes, so each
 * invocation hands a batch of calls to a process, as the figure does.
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
public class CallJmh {
  static final int BATCH = 100_000;

  Node node;
  ServerRef<Ping, Object> echo;

  /** Starts the node and the echo server. */
  @Setup
  public void setup() {
    node = Node.start();
    echo = GenServer.start(node, new Echo()).orElseThrow();
  }

  /** Closes the node. */
  @TearDown
  public void tearDown() {
    node.close();
  }

  /**
   * A batch of calls from one process.
   *
   * @return elapsed ns (consumed by JMH)
   * @throws Exception if a call fails
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long call() throws Exception {
    return CallRoundTrip.round(node, echo, BATCH);
  }
}
