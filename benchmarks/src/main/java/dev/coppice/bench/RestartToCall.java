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
 * <p>Three figures from one fresh JVM ({@link KillLoop}): {@code .cold} is Erlang's protocol to
 * the letter (100 warm-up kills, then 1,000 timed), {@code .warm5k} follows the JVM anchor's
 * 5,000 warm-up kills, and the headline is taken at the JIT's steady state.
 */
public final class RestartToCall implements Figure {
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
    String name = "coppice.sup.restart_to_call";
    try (Node node = Node.start()) {
      KillLoop.Result[] result = new KillLoop.Result[1];
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
            KillLoop loop = new KillLoop(Processes.receive(Up.class).server(), RestartToCall::restart);
            result[0] = loop.measure(name, 100, 1000);
            sup.stop();
            return 0L;
          });
      KillLoop.print(name, result[0]);
    }
  }

  /** Kills the server, waits for its successor's Up, calls it; {@return the successor} */
  private static Pid restart(Pid server) {
    Processes.exit(server, ExitReason.KILL);
    Pid next = Processes.receive(Up.class).server();
    if (ServerRef.<Ping, Object>of(next).call(Ping::new) != BenchServers.PONG) {
      throw new AssertionError("bad reply");
    }
    return next;
  }
}
