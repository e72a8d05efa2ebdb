// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.Down;
import dev.coppice.core.Exit;
import dev.coppice.core.ExitReason;
import dev.coppice.core.MonitorRef;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.OnStart;
import dev.coppice.testkit.Expect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Test children: plain processes whose start function tells the test process (the observer,
 * captured when the start function is made) that they started, that tell it themselves when they
 * get an exit signal, and that exit with any reason they are told to.
 */
final class Kids {
  private Kids() {}

  /** A child started. */
  record Started(String id, Pid pid) {}

  /** A trapping child received an exit signal. */
  record GotExit(String id, Pid pid, ExitReason reason) {}

  /** Tells a child to exit with {@code reason}. */
  record Die(ExitReason reason) {}

  /** Lets a {@link Mode#WAIT_RELEASE} child finish its shutdown. */
  record Release() {}

  enum Mode {
    /** Does not trap exits: dies at once on a shutdown signal. */
    PLAIN,
    /** Traps exits, reports the signal, then exits with its reason. */
    TRAP,
    /** Traps exits, reports the signal, and ignores it. */
    STUBBORN,
    /** Traps exits, reports the signal, then waits for {@link Release} before exiting. */
    WAIT_RELEASE
  }

  static StartFunction kid(String id) {
    return kid(id, Mode.PLAIN);
  }

  /** The child is set up (trapping exits if it should); like proc_lib's init_ack. */
  record Ack(Pid pid) {}

  /**
   * A start function that, like {@code proc_lib:start_link}, returns once the child has set itself
   * up (so that a shutdown right after the start finds it trapping exits), or at once with the
   * child's exit reason if it dies first (the supervisor traps exits, so its link brings an Exit).
   *
   * <p>The {@link Started} report goes out from here, after the ack, not from the child: a test
   * that has seen it may kill the child at once and get a restart (the child is running for the
   * supervisor), where a report from the child before its ack let such a kill land in between and
   * leave the start waiting for an ack that never came. Coming from the starter, the reports of
   * successive starts also arrive in start order.
   */
  static StartFunction kid(String id, Mode mode) {
    Pid observer = Processes.self();
    return () -> {
      Pid sup = Processes.self();
      Pid child = Processes.spawnLink(() -> body(id, observer, mode, sup));
      Object m =
          Processes.receive(
              Object.class,
              x ->
                  (x instanceof Ack a && a.pid() == child)
                      || (x instanceof Exit e && e.from().equals(child)),
              Duration.ofSeconds(10));
      if (m instanceof Exit e) {
        return new OnStart.Failed<>(e.reason());
      }
      if (m == null) {
        return new OnStart.Failed<>(ExitReason.other("no ack from " + id));
      }
      Processes.send(observer, new Started(id, child));
      return new OnStart.Ok<>(child);
    };
  }

  static ChildSpec worker(String id) {
    return ChildSpec.worker(id, kid(id));
  }

  static ChildSpec worker(String id, Mode mode) {
    return ChildSpec.worker(id, kid(id, mode));
  }

  static void body(String id, Pid observer, Mode mode, Pid starter) {
    if (mode != Mode.PLAIN) {
      Processes.trapExits(true);
    }
    Pid me = Processes.self();
    Processes.send(starter, new Ack(me)); // the starter reports Started (see kid)
    for (; ; ) {
      Object m = Processes.receive();
      if (m instanceof Die d) {
        throw Processes.exit(d.reason());
      }
      if (m instanceof Exit e) {
        Processes.send(observer, new GotExit(id, me, e.reason()));
        switch (mode) {
          case PLAIN, TRAP -> throw Processes.exit(e.reason());
          case STUBBORN -> {}
          case WAIT_RELEASE -> {
            Processes.receive(Release.class);
            throw Processes.exit(e.reason());
          }
        }
      }
    }
  }

  /** Waits for child {@code id} to report its start. */
  static Started started(String id) {
    return Expect.receive(Started.class, s -> s.id().equals(id));
  }

  /** Waits for child {@code id} to report an exit signal. */
  static GotExit gotExit(String id) {
    return Expect.receive(GotExit.class, g -> g.id().equals(id));
  }

  /** The next {@code n} Started/GotExit reports, in the order they arrived, as "start:a" / "exit:a". */
  static List<String> events(int n) {
    List<String> out = new ArrayList<>();
    Predicate<Object> isEvent = m -> m instanceof Started || m instanceof GotExit;
    for (int i = 0; i < n; i++) {
      Object m = Expect.receive(Object.class, isEvent);
      out.add(
          m instanceof Started s ? "start:" + s.id() : "exit:" + ((GotExit) m).id());
    }
    return out;
  }

  /** The current pid of child {@code id}, which must be running. */
  static Pid pid(Supervisor sup, String id) {
    return sup.whichChildren().stream()
        .filter(c -> c.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no child " + id + " in " + sup.whichChildren()))
        .pid()
        .orElseThrow(() -> new AssertionError("child " + id + " is not running"));
  }

  static ChildStatus status(Supervisor sup, String id) {
    return sup.whichChildren().stream()
        .filter(c -> c.id().equals(id))
        .findFirst()
        .map(ChildInfo::status)
        .orElse(null);
  }

  /** Tells {@code pid} to exit with {@code reason} and waits for its Down. */
  static Down die(Pid pid, ExitReason reason) {
    MonitorRef ref = Processes.monitor(pid);
    Processes.send(pid, new Die(reason));
    return Expect.down(ref);
  }

  /** Kills {@code pid}; its links and monitors have fired when this returns. */
  static void kill(Pid pid) {
    Processes.exit(pid, ExitReason.KILL);
  }

  static final Duration SHORT = Duration.ofMillis(200);
}
