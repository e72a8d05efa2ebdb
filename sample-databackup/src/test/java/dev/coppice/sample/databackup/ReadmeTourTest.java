// SPDX-License-Identifier: Apache-2.0
package dev.coppice.sample.databackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coppice.core.AttachedProcess;
import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.From;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;
import dev.coppice.core.genserver.ServerName;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.core.genserver.StartOptions;
import dev.coppice.supervisor.ChildSpec;
import dev.coppice.supervisor.Supervisor;
import dev.coppice.supervisor.SupervisorFlags;
import dev.coppice.table.Table;
import dev.coppice.table.TableTransfer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The README's tour, compiled and run: the code between the tour markers below must stand in
 * README.md's first java block, line for line, so the README cannot drift from the API.
 */
class ReadmeTourTest {

  // tour:start
  record Push(String item) {}

  record Pop(From<Optional<String>> from) {}

  static final class Stack implements GenServer<Deque<String>, Pop, Push> {
    @Override
    public Init<Deque<String>> init() {
      return Init.ok(new ArrayDeque<>());
    }

    @Override
    public Next<Deque<String>> handleCall(Pop pop, Deque<String> items) {
      return Next.reply(pop.from(), Optional.ofNullable(items.pollFirst()), items);
    }

    @Override
    public Next<Deque<String>> handleCast(Push push, Deque<String> items) {
      items.push(push.item());
      return Next.noreply(items);
    }
  }

  static void tour() {
    try (Node node = Node.start()) {
      // A supervisor starts the stack and restarts it when it crashes.
      ServerName<Pop, Push> name = new ServerName<>("stack");
      Supervisor.start(node, SupervisorFlags.oneForOne(), List.of(
              ChildSpec.worker("stack",
                  () -> GenServer.startLink(new Stack(), StartOptions.named(name.value())))))
          .orElseThrow();
      ServerRef<Pop, Push> stack = ServerRef.named(node, name);
      stack.cast(new Push("a"));
      Optional<String> top = stack.call(Pop::new); // Optional[a]; 5 s default timeout

      // A table outlives its owner when it has an heir.
      try (AttachedProcess self = node.attach()) { // this thread becomes a process
        Table<String, Integer> scores =
            Table.<String, Integer>builder().heir(self.pid(), "came back").create();
        scores.insert("alice", 3);
        Pid owner = Processes.spawn(Processes::receive); // waits for a message forever
        scores.giveAway(owner, "yours");
        Processes.exit(owner, ExitReason.KILL); // the owner dies...
        TableTransfer back = Processes.receive(TableTransfer.class); // ...the heir inherits
        Optional<Integer> alice = scores.lookup("alice"); // Optional[3], nothing was copied
        // tour:end
        assertEquals(Optional.of("a"), top);
        assertEquals(Optional.of(3), alice);
        assertEquals(owner, back.from());
        assertEquals("came back", back.data());
        assertEquals(self.pid(), scores.owner());
      }
    }
  }

  @Test
  void tour_runs() {
    tour();
  }

  @Test
  void readme_showsTheTourAsCompiledHere() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    Path readme = root.resolve("README.md");
    if (!Files.exists(readme)) {
      readme = root.getParent().resolve("README.md"); // surefire runs in the module folder
    }
    Path source =
        root.resolve("src/test/java/dev/coppice/sample/databackup/ReadmeTourTest.java");
    String src = Files.readString(source);
    String tour =
        src.substring(src.indexOf("// tour:start") + "// tour:start".length(), src.indexOf("// tour:end"));
    String md = Files.readString(readme);
    int start = md.indexOf("```java\n") + "```java\n".length();
    String block = md.substring(start, md.indexOf("```", start));
    assertEquals(normalize(tour), normalize(block), "README.md's tour differs from ReadmeTourTest");
    assertTrue(block.contains("class Stack"));
  }

  private static String normalize(String code) {
    StringBuilder out = new StringBuilder();
    for (String line : code.strip().split("\n")) {
      String t = line.strip();
      if (!t.isEmpty()) {
        out.append(t).append('\n');
      }
    }
    return out.toString();
  }
}
