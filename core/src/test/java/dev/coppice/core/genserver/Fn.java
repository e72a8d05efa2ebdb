// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import dev.coppice.core.ExitReason;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;

/**
 * A GenServer whose callbacks are lambdas, for tests. Callbacks left unset keep the interface's
 * default behaviour. Every {@code terminate} is reported to {@link #events} (when set) as {@link
 * Terminated}.
 */
class Fn implements GenServer<Object, Object, Object> {

  /** init as a lambda. */
  interface InitFn {
    Init<Object> init() throws Exception;
  }

  /** handleCall / handleCast / handleInfo / handleContinue as a lambda. */
  interface Handler {
    Next<Object> handle(Object message, Object state);
  }

  /** A call request carrying its reply handle. */
  record Ask(From<Object> from, Object what) {}

  /** What terminate reports. */
  record Terminated(ExitReason reason, Object state) {}

  /** A step a callback reports. */
  record Event(String what, Object detail) {}

  private InitFn init = () -> Init.ok(null);
  private Handler call;
  private Handler cast;
  private Handler info;
  private Handler cont;
  private Pid events;

  static Fn server() {
    return new Fn();
  }

  /** {@return a server whose state starts as {@code state} and which reports to the caller} */
  static Fn reporting(Object state) {
    return new Fn().init(() -> Init.ok(state)).events(Processes.self());
  }

  Fn init(InitFn f) {
    this.init = f;
    return this;
  }

  Fn onCall(Handler h) {
    this.call = h;
    return this;
  }

  Fn onCast(Handler h) {
    this.cast = h;
    return this;
  }

  Fn onInfo(Handler h) {
    this.info = h;
    return this;
  }

  Fn onContinue(Handler h) {
    this.cont = h;
    return this;
  }

  Fn events(Pid to) {
    this.events = to;
    return this;
  }

  @Override
  public Init<Object> init() throws Exception {
    return init.init();
  }

  @Override
  public Next<Object> handleCall(Object request, Object state) {
    return call == null ? GenServer.super.handleCall(request, state) : call.handle(request, state);
  }

  @Override
  public Next<Object> handleCast(Object message, Object state) {
    return cast == null ? GenServer.super.handleCast(message, state) : cast.handle(message, state);
  }

  @Override
  public Next<Object> handleInfo(Object message, Object state) {
    return info == null ? GenServer.super.handleInfo(message, state) : info.handle(message, state);
  }

  @Override
  public Next<Object> handleContinue(Object argument, Object state) {
    return cont == null
        ? GenServer.super.handleContinue(argument, state)
        : cont.handle(argument, state);
  }

  @Override
  public void terminate(ExitReason reason, Object state) {
    if (events != null) {
      Processes.send(events, new Terminated(reason, state));
    }
  }

  /** Sends an event to {@code to}. */
  static void report(Pid to, String what, Object detail) {
    Processes.send(to, new Event(what, detail));
  }

  /** Sleeps in the server to simulate slow work. */
  static void work(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Processes.ensureAlive();
    }
  }
}
