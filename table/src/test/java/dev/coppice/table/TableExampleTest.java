// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.testkit.Expect;
import dev.coppice.testkit.NodeExtension;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The usage shown in {@link Table}'s class documentation, compiled and run. */
@ExtendWith(NodeExtension.class)
class TableExampleTest {
  record Item(String id, int count) {}

  static final TableName<String, Item> DATA = new TableName<>("data");

  @Test
  void classDocExample_createHeirGiveAwayInherit(Node node) {
    Pid backupPid = Processes.self(); // this test process plays the backup
    Actor owner = Actor.spawn(node);
    Actor server = Actor.spawn(node);
    Pid serverPid = server.pid;

    Table<String, Item> table =
        owner.call(
            () -> {
              Table<String, Item> t =
                  Table.<String, Item>builder()
                      .access(Access.PROTECTED)
                      .heir(backupPid, "backup")
                      .named(DATA)
                      .create();
              t.insert("k", new Item("k", 1));
              t.giveAway(serverPid, "yours");
              return t;
            });
    assertEquals(Optional.of(new Item("k", 1)), table.lookup("k")); // from any process
    assertSame(serverPid, table.owner());
    assertSame(table, Tables.table(node, DATA));

    // the server crashes: the heir set by the first owner inherits, data and all
    Processes.exit(serverPid, new ExitReason.Other("crash"));
    TableTransfer transfer = Expect.receive(TableTransfer.class);
    assertEquals("backup", transfer.data());
    Table<String, Item> mine = transfer.asTable();
    mine.update("k", item -> new Item(item.id(), item.count() + 1));
    assertEquals(2, mine.lookupElement("k", Item::count));
  }
}
