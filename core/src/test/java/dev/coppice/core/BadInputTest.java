// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.core.genserver.StartOptions;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/** Programmer errors: the exception type and a message that names the value and the fix. */
@ExtendWith(NodeExtension.class)
class BadInputTest {

  private static void assertNpe(String parameter, Executable call) {
    NullPointerException e = assertThrows(NullPointerException.class, call);
    assertEquals(parameter, e.getMessage(), "the NPE names the parameter");
  }

  @Test
  void nullArguments_throwNpeNamingTheParameter(Node node) {
    Pid p = TestProcs.idle(node);
    Duration d = Duration.ofMillis(1);
    assertNpe("body", () -> node.spawn(null));
    assertNpe("body", () -> Processes.spawn(null));
    assertNpe("body", () -> Processes.spawnLink(null));
    assertNpe("pid", () -> Processes.link(null));
    assertNpe("pid", () -> Processes.unlink(null));
    assertNpe("pid", () -> Processes.monitor((Pid) null));
    assertNpe("name", () -> Processes.monitor((String) null));
    assertNpe("ref", () -> Processes.demonitor(null));
    assertNpe("ref", () -> Processes.demonitor(null, true));
    assertNpe("pid", () -> Processes.send((Pid) null, "m"));
    assertNpe("message", () -> Processes.send(p, null));
    assertNpe("name", () -> Processes.send((String) null, "m"));
    assertNpe("message", () -> Processes.send("x", null));
    assertNpe("timeout", () -> Processes.receive((Duration) null));
    assertNpe("type", () -> Processes.receive(null, x -> true, d));
    assertNpe("filter", () -> Processes.receive(String.class, null, d));
    assertNpe("timeout", () -> Processes.receive(String.class, x -> true, null));
    assertNpe("type", () -> Processes.receive((Class<?>) null));
    assertNpe("pid", () -> Processes.exit(null, ExitReason.NORMAL));
    assertNpe("reason", () -> Processes.exit(p, null));
    assertNpe("reason", () -> Processes.exit((ExitReason) null));
    assertNpe("pid", () -> Processes.isAlive(null));
    assertNpe("name", () -> Processes.register(null, p));
    assertNpe("pid", () -> Processes.register("n", null));
    assertNpe("name", () -> Processes.unregister(null));
    assertNpe("name", () -> Processes.whereis(null));
    assertNpe("delay", () -> Processes.sendAfter(null, p, "m"));
    assertNpe("pid", () -> Processes.sendAfter(d, (Pid) null, "m"));
    assertNpe("message", () -> Processes.sendAfter(d, p, null));
    assertNpe("name", () -> Processes.sendAfter(d, (String) null, "m"));
    assertNpe("delay", () -> Processes.startTimer(null, p, "m"));
    assertNpe("pid", () -> Processes.startTimer(d, null, "m"));
    assertNpe("message", () -> Processes.startTimer(d, p, null));
    assertNpe("timer", () -> Processes.cancelTimer(null));
    assertNpe("timer", () -> Processes.readTimer(null));
    assertNpe("pid", () -> Processes.onExit(null, (x, r) -> {}));
    assertNpe("hook", () -> Processes.onExit(p, null));
    assertNpe("action", () -> Processes.whileAlive(null));
    assertNpe("name", () -> node.register(null, p));
    assertNpe("pid", () -> node.register("n", null));
    assertNpe("name", () -> node.unregister(null));
    assertNpe("name", () -> node.whereis(null));
    assertNpe("pid", () -> node.send((Pid) null, "m"));
    assertNpe("message", () -> node.send(p, null));
    assertNpe("reason", () -> node.exit(p, null));
    assertNpe("pid", () -> node.exit(null, ExitReason.KILL));
    assertNpe("type", () -> node.resource(null, n -> "x"));
    assertNpe("factory", () -> node.resource(String.class, null));
    assertNpe("timeout", () -> node.awaitThreads(null));
    assertNpe("cause", () -> ExitReason.crash(null));
    assertNpe("term", () -> ExitReason.other(null));
    assertNpe("node", () -> GenServer.start(null, () -> Init.ok(1)));
    assertNpe("server", () -> GenServer.start(node, null));
    assertNpe("options", () -> GenServer.start(node, () -> Init.ok(1), null));
    assertNpe("pid", () -> ServerRef.of(null));
    ServerRef<Object, Object> ref = ServerRef.of(p);
    assertNpe("request", () -> ref.call(null));
    assertNpe("timeout", () -> ref.call(f -> "x", null));
    assertNpe("message", () -> ref.cast(null));
    assertNpe("message", () -> ref.send(null));
    assertNpe("reason", () -> ref.stop(null, d));
    assertNpe("timeout", () -> ref.stop(ExitReason.NORMAL, null));
    assertNpe("name", () -> StartOptions.named(null));
  }

  @Test
  void processOnlyCalls_fromPlainThread_throwIllegalStateWithTheFix(Node node) {
    Pid p = TestProcs.idle(node);
    Map<String, Executable> calls = new LinkedHashMap<>();
    calls.put("self", Processes::self);
    calls.put("node", Processes::node);
    calls.put("spawn", () -> Processes.spawn(() -> {}));
    calls.put("spawnLink", () -> Processes.spawnLink(() -> {}));
    calls.put("link", () -> Processes.link(p));
    calls.put("unlink", () -> Processes.unlink(p));
    calls.put("trapExits", () -> Processes.trapExits(true));
    calls.put("trapsExits", Processes::trapsExits);
    calls.put("exitSelf", () -> Processes.exit(ExitReason.NORMAL));
    calls.put("monitor", () -> Processes.monitor(p));
    calls.put("monitorName", () -> Processes.monitor("x"));
    calls.put("sendName", () -> Processes.send("x", "m"));
    calls.put("receive", () -> Processes.receive());
    calls.put("receiveTimeout", () -> Processes.receive(Duration.ZERO));
    calls.put("receiveSelective", () -> Processes.receive(String.class, s -> true, Duration.ZERO));
    calls.put("receiveType", () -> Processes.receive(String.class));
    calls.put("mailbox", Processes::mailbox);
    calls.put("register", () -> Processes.register("x", p));
    calls.put("unregister", () -> Processes.unregister("x"));
    calls.put("whereis", () -> Processes.whereis("x"));
    calls.put("sendAfterName", () -> Processes.sendAfter(Duration.ZERO, "x", "m"));
    calls.put("startLink", () -> GenServer.startLink(() -> Init.ok(1)));
    calls.put("startNoNode", () -> GenServer.start(() -> Init.ok(1)));
    for (var e : calls.entrySet()) {
      Throwable t =
          TestProcs.failure(
              TestProcs.onPlainThread(
                  () -> {
                    try {
                      e.getValue().execute();
                    } catch (RuntimeException x) {
                      throw x;
                    } catch (Throwable x) {
                      throw new AssertionError(x);
                    }
                    return "no exception";
                  }));
      assertInstanceOf(IllegalStateException.class, t, e.getKey());
      assertTrue(
          t.getMessage().contains("Node.attach()") || t.getMessage().contains("within a process"),
          e.getKey() + ": the message must say how to fix it: " + t.getMessage());
    }
    assertTrue(p.isAlive());
  }

  @Test
  void anyThreadCalls_workFromPlainThread(Node node) {
    Pid p = TestProcs.forwarder(node, () -> {});
    String ok =
        TestProcs.await(
            TestProcs.onPlainThread(
                () -> {
                  Processes.send(p, "plain");
                  Processes.ensureAlive();
                  assertEquals(null, Processes.selfOrNull());
                  Processes.sendAfter(Duration.ZERO, p, "timer");
                  return "ok";
                }));
    assertEquals("ok", ok);
    assertEquals("plain", Expect.receive(TestProcs.Forwarded.class).message());
    assertEquals("timer", Expect.receive(TestProcs.Forwarded.class).message());
  }

  @Test
  void sendToDeadPid_isNoOp(Node node) {
    Pid dead = node.spawn(() -> {});
    Expect.down(dead);
    Processes.send(dead, "lost");
    node.send(dead, "lost");
    ServerRef.of(dead).cast("lost");
    ServerRef.of(dead).send("lost");
    Processes.exit(dead, ExitReason.KILL);
    assertTrue(Processes.self().isAlive());
  }

  @Test
  void pidOfAnotherNode_isRejected(Node node) {
    try (Node other = Node.start()) {
      Pid foreign = TestProcs.idle(other);
      var e = assertThrows(IllegalArgumentException.class, () -> Processes.link(foreign));
      assertTrue(e.getMessage().contains(foreign.toString()), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> node.register("f", foreign));
    }
  }

  @Test
  void negativeTimeouts_areRejected(Node node) {
    Duration minus = Duration.ofMillis(-1);
    var e = assertThrows(IllegalArgumentException.class, () -> Processes.receive(minus));
    assertTrue(e.getMessage().contains("-"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Processes.sendAfter(minus, Processes.self(), "m"));
    assertThrows(IllegalArgumentException.class, () -> StartOptions.named("x").withTimeout(minus));
  }

  @Test
  void attach_twice_isRejected(Node node) {
    var e = assertThrows(IllegalStateException.class, node::attach);
    assertTrue(e.getMessage().contains(Processes.self().toString()), e.getMessage());
  }
}
