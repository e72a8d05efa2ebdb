// SPDX-License-Identifier: Apache-2.0
package dev.coppice.sample.databackup;

import dev.coppice.core.Node;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.OnStart;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.core.genserver.StartOptions;
import dev.coppice.supervisor.ChildSpec;
import dev.coppice.supervisor.Supervisor;
import dev.coppice.supervisor.SupervisorFlags;
import java.time.Duration;
import java.util.List;

/** The three ways of keeping a server's data through a crash that the demo compares. */
public enum Variant {
  /** coppice's answer, the article's: the data lives in a table whose heir is DataMaster. */
  HEIR("coppice table + heir"),
  /** Alternative (a): the restarted server reloads everything from the database. */
  RELOAD("(a) reload from database"),
  /** Alternative (b): the server hands its state to a backup in terminate, takes it in init. */
  HANDOFF("(b) hand-off in terminate");

  private final String label;

  Variant(String label) {
    this.label = label;
  }

  /** {@return how the demo's table names this variant} */
  public String label() {
    return label;
  }

  /**
   * Starts this variant's app on {@code node}: a supervisor whose data server is registered as
   * {@link Server#NAME} and speaks {@link DataCall}.
   *
   * @param node the node
   * @param db the database
   * @return the supervisor
   */
  public OnStart<Supervisor> start(Node node, Database db) {
    SupervisorFlags flags = DataBackup.flags();
    String server = Server.NAME.value();
    return switch (this) {
      case HEIR -> DataBackup.start(node, db);
      case RELOAD ->
          Supervisor.start(
              node,
              flags,
              List.of(
                  ChildSpec.worker(
                      "server",
                      () -> GenServer.startLink(new ReloadServer(db), StartOptions.named(server)))),
              StartOptions.named(DataBackup.SUPERVISOR));
      case HANDOFF -> {
        ServerRef<HandoffBackup.Request, Void> backup =
            ServerRef.named(node, HandoffServer.BACKUP);
        yield Supervisor.start(
            node,
            flags,
            List.of(
                ChildSpec.worker(
                    "backup",
                    () ->
                        GenServer.startLink(
                            new HandoffBackup(), StartOptions.named(HandoffServer.BACKUP.value()))),
                ChildSpec.worker(
                        "server",
                        () ->
                            GenServer.startLink(
                                new HandoffServer(db, backup), StartOptions.named(server)))
                    .withShutdown(dev.coppice.supervisor.Shutdown.timeout(Duration.ofSeconds(5)))),
            StartOptions.named(DataBackup.SUPERVISOR));
      }
    };
  }
}
