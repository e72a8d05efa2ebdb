// SPDX-License-Identifier: Apache-2.0
package dev.coppice.bench;

import dev.coppice.core.genserver.From;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;

/** The GenServers the figures talk to: the counterparts of the anchors' {@code ab_srv} modes. */
public final class BenchServers {
  private BenchServers() {}

  /** The echo reply. */
  public static final Object PONG = "pong";

  /** A ping request: replies {@link #PONG}. */
  public record Ping(From<Object> from) {}

  /** The cast a counter counts. */
  public enum Inc {
    /** The one instance. */
    INC
  }

  /** Asks a counter for its count, after everything queued before it. */
  public record Sync(From<Long> from) {}

  /** {@code ab_srv} mode {@code echo}: replies pong to ping. */
  public static final class Echo implements GenServer<Object, Ping, Object> {
    @Override
    public Init<Object> init() {
      return Init.ok(PONG);
    }

    @Override
    public Next<Object> handleCall(Ping request, Object state) {
      return Next.reply(request.from(), PONG, state);
    }
  }

  /** The counter's state: mutable, as a GenServer's state may be. */
  public static final class Count {
    long n;
  }

  /** {@code ab_srv} mode {@code counter}: counts casts; {@link Sync} returns the count. */
  public static final class Counter implements GenServer<Count, Sync, Inc> {
    @Override
    public Init<Count> init() {
      return Init.ok(new Count());
    }

    @Override
    public Next<Count> handleCast(Inc message, Count state) {
      state.n++;
      return Next.noreply(state);
    }

    @Override
    public Next<Count> handleCall(Sync request, Count state) {
      return Next.reply(request.from(), state.n, state);
    }
  }

  /** An idle server: init returns ok and it waits for messages. */
  public static final class Idle implements GenServer<Object, Object, Object> {
    @Override
    public Init<Object> init() {
      return Init.ok(PONG);
    }
  }
}
