// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import static dev.coppice.supervisor.Kids.pid;
import static dev.coppice.supervisor.Kids.started;
import static dev.coppice.supervisor.Kids.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.testkit.LogCapture;
import dev.coppice.testkit.ManualTicker;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SUP-07 (restart types), SUP-08 (one_for_one), SUP-09 (one_for_all) and SUP-10 (rest_for_one)
 * as one matrix: restart type × exit reason × strategy, named as in OTP's supervisor_SUITE
 * ({@code transient_abnormal_isRestarted}). Children are [older, x, younger]; x exits.
 */
@ExtendWith(NodeExtension.class)
class RestartMatrixTest {

  /** How the child ends. */
  enum How {
    NORMAL(ExitReason.NORMAL, false),
    SHUTDOWN(ExitReason.SHUTDOWN, false),
    SHUTDOWN_DETAIL(ExitReason.shutdown("detail"), false),
    ABNORMAL(ExitReason.crash(new IllegalStateException("boom")), true),
    KILLED(ExitReason.KILLED, true);

    final ExitReason reason;
    final boolean abnormal;

    How(ExitReason reason, boolean abnormal) {
      this.reason = reason;
      this.abnormal = abnormal;
    }
  }

  /** OTP's restart rules, written out: the table the supervisor must follow. */
  static boolean expectRestart(Restart restart, How how) {
    return switch (restart) {
      case PERMANENT -> true; // every reason
      case TRANSIENT -> how == How.ABNORMAL || how == How.KILLED; // killed is abnormal
      case TEMPORARY -> false; // never
    };
  }

  static Stream<Arguments> matrix() {
    List<Arguments> out = new ArrayList<>();
    for (Restart restart : Restart.values()) {
      for (How how : How.values()) {
        for (Strategy strategy : Strategy.values()) {
          String name =
              restart.name().toLowerCase(Locale.ROOT)
                  + "_"
                  + camel(how.name())
                  + "_"
                  + camel(strategy.name())
                  + (expectRestart(restart, how) ? "_isRestarted" : "_staysDown");
          out.add(Arguments.of(name, restart, how, strategy));
        }
      }
    }
    return out.stream();
  }

  private static String camel(String upper) {
    String[] parts = upper.toLowerCase(Locale.ROOT).split("_");
    StringBuilder b = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
    }
    return b.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void sup07_restartMatrix(String name, Restart restart, How how, Strategy strategy, Node node) {
    SupervisorFlags flags =
        SupervisorFlags.of(strategy)
            .withIntensity(10, Duration.ofSeconds(5))
            .withTicker(new ManualTicker());
    Supervisor sup =
        Supervisor.start(
                node,
                flags,
                List.of(worker("older"), worker("x").withRestart(restart), worker("younger")))
            .orElseThrow();
    started("older");
    Pid x = started("x").pid();
    started("younger");
    Pid older = pid(sup, "older");
    Pid younger = pid(sup, "younger");

    if (how == How.KILLED) {
      Kids.kill(x);
    } else {
      Kids.die(x, how.reason);
    }

    boolean restarted = expectRestart(restart, how);
    ChildStatus status = Kids.status(sup, "x");
    if (restarted) {
      var running = assertInstanceOf(ChildStatus.Running.class, status, name);
      assertNotEquals(x, running.pid(), name);
    } else if (restart == Restart.TEMPORARY) {
      assertNull(status, name + ": a temporary child's spec is removed");
    } else {
      assertEquals(ChildStatus.NOT_RUNNING, status, name);
    }
    boolean olderRestarts = restarted && strategy == Strategy.ONE_FOR_ALL;
    boolean youngerRestarts = restarted && strategy != Strategy.ONE_FOR_ONE;
    assertEquals(!olderRestarts, older.equals(pid(sup, "older")), name + ": older sibling");
    assertEquals(!youngerRestarts, younger.equals(pid(sup, "younger")), name + ": younger sibling");
    assertEquals(
        how.abnormal ? 1 : 0,
        LogCapture.matching(e -> "child_terminated".equals(e.get("errorContext"))).size(),
        name + ": quiet exits are not reported");
    sup.stop();
  }
}
