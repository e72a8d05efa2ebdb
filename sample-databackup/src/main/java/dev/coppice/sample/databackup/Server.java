// SPDX-License-Identifier: Apache-2.0
package dev.coppice.sample.databackup;

import dev.coppice.core.Processes;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;
import dev.coppice.core.genserver.ServerName;
import dev.coppice.core.genserver.ServerRef;
import dev.coppice.table.Table;
import dev.coppice.table.TableTransfer;
import java.util.Optional;

/**
 * The article's Server: takes ownership of the table in init (from {@link DataMaster}) and serves
 * {@code insertData} / {@code getData} as calls. When it crashes, the table passes to DataMaster
 * (its heir) with all its data, and the restarted Server takes it back: no reload.
 *
 * <p>Writes must go through the Server, because the table is protected: only its owner writes.
 * Reads may also go straight to the table from any process or thread ({@link
 * DataBackup#readDirect}), without the Server's mailbox; those never wait for a restart.
 */
public final class Server implements GenServer<Table<Long, String>, DataCall, DataCast> {

  /** The name the Server registers under. */
  public static final ServerName<DataCall, DataCast> NAME = new ServerName<>("data_server");

  private final ServerRef<DataMaster.Request, Void> master;

  /**
   * A Server that asks {@code master} for the table.
   *
   * @param master the DataMaster
   */
  public Server(ServerRef<DataMaster.Request, Void> master) {
    this.master = master;
  }

  @Override
  public Init<Table<Long, String>> init() {
    Optional<Table<Long, String>> table =
        master.call(from -> new DataMaster.GetTable(Processes.self(), from));
    if (table.isEmpty()) {
      throw new IllegalStateException(
          "DataMaster has no table to give: another Server owns it");
    }
    return Init.ok(table.get());
  }

  @Override
  public Next<Table<Long, String>> handleCall(DataCall call, Table<Long, String> table) {
    return switch (call) {
      case DataCall.InsertData(long id, String data, var from) -> {
        table.insert(id, data);
        yield Next.reply(from, true, table);
      }
      case DataCall.GetData(long id, var from) -> Next.reply(from, table.lookup(id), table);
    };
  }

  @Override
  public Next<Table<Long, String>> handleCast(DataCast cast, Table<Long, String> table) {
    throw new IllegalStateException("crash requested by the demo: " + cast);
  }

  @Override
  public Next<Table<Long, String>> handleInfo(Object message, Table<Long, String> table) {
    if (message instanceof TableTransfer) {
      return Next.noreply(table); // the give_away of init, announced: we already hold the table
    }
    return GenServer.super.handleInfo(message, table);
  }
}
