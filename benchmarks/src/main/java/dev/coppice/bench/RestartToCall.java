// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import dev.coppice.bench.BenchServers.Ping;
import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.Ticker;
import dev.coppice.core.genserver.From;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.supervisor.AutoShutdown;
import dev.coppice.supervisor.ChildSpec;
import dev.coppice.supervisor.Scheduler;
import dev.coppice.supervisor.Strategy;
import dev.coppice.supervisor.Supervisor;
import dev.coppice.supervisor.SupervisorFlags;
import java.time.Duration;
import java.util.List;

/**
 * {@code coppice.sup.restart_to_call}: kill a supervised echo server, time until a call to the
 * restarted one returns; median and {@code .p99} of 1,000 kills. As {@code
 * erl.sup.restart_to_call} ({@code ab_sup}, one_for_one, a restart intensity high enough for
 * thousands of kills; the child notifies the bench process from its init; the clock runs from
 * {@code exit(Pid, kill)} to the reply of {@code gen_server:call(P2, ping)}).
 *
 * <p>Two figures from one fresh JVM: {@code .cold} is Erlang's protocol to the letter (100
 * warm-up kills, then 1,000 timed), which on the JVM still runs the restart path partly
 * interpreted; the headline comes after 5,000 more warm-up kills, as the JVM anchor ({@code
 * pekko.sup.restart_to_reply}) does, and is what a long-running service sees.
 */
public final class RestartToCall implements Figure {
  /** Warm-up kills between the cold and the headline figure, as the Pekko anchor's 5,000. */
  static final int WARMUP = 5000;

  /** Sent by a restarted server from its init. */
  record Up(Pid server) {}

  /** The echo server that says it is up. */
  static final class NotifyEcho implements GenServer<Object, Ping, Object> {
    private final Pid notify;

    NotifyEcho(Pid notify) {
      this.notify = notify;
    }

    @Override
    public Init<Object> init() {
      Processes.send(notify, new Up(Processes.self()));
      return Init.ok(BenchServers.PONG);
    }

    @Override
    public Next<Object> handleCall(Ping request, Object state) {
      From<Object> from = request.from();
      return Next.reply(from, BenchServers.PONG, state);
    }
  }

  @Override
  public String id() {
    return "restart";
  }

  @Override
  public String suite() {
    return "core";
  }

  @Override
  public void run() throws Exception {
    try (Node node = Node.start()) {
      Latencies cold = new Latencies();
      Latencies lat = new Latencies();
      CallRoundTrip.inProcess(
          node,
          () -> {
            Pid self = Processes.self();
            SupervisorFlags flags =
                new SupervisorFlags(
                    Strategy.ONE_FOR_ONE,
                    1_000_000_000,
                    Duration.ofSeconds(1),
                    AutoShutdown.NEVER,
                    Ticker.system(),
                    Scheduler.timers());
            Supervisor sup =
                Supervisor.start(
                        node,
                        flags,
                        List.of(ChildSpec.worker("srv", () -> GenServer.startLink(new NotifyEcho(self)))))
                    .orElseThrow();
            Pid server = Processes.receive(Up.class).server();
            for (int i = 0; i < 100 + 1000 + WARMUP + 1000; i++) {
              long t0 = System.nanoTime();
              Processes.exit(server, ExitReason.KILL);
              server = Processes.receive(Up.class).server();
              if (ServerRef.<Ping, Object>of(server).call(Ping::new) != BenchServers.PONG) {
                throw new AssertionError("bad reply");
              }
              long dt = System.nanoTime() - t0;
              if (i >= 100 && i < 1100) {
                cold.record(dt);
              } else if (i >= 1100 + WARMUP) {
                lat.record(dt);
              }
            }
            sup.stop();
            return 0L;
          });
      cold.note("coppice.sup.restart_to_call.cold");
      Harness.out("coppice.sup.restart_to_call.cold", cold.percentile(50), "ns");
      lat.note("coppice.sup.restart_to_call");
      Harness.out("coppice.sup.restart_to_call", lat.percentile(50), "ns");
      Harness.out("coppice.sup.restart_to_call.p99", lat.percentile(99), "ns");
    }
  }
}
