// SPDX-License-Identifier: Apache-2.0
package dev.coppice.sample.databackup;

import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import dev.coppice.core.genserver.From;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;
import dev.coppice.core.genserver.ServerName;
import dev.coppice.table.Access;
import dev.coppice.table.Table;
import dev.coppice.table.TableName;
import dev.coppice.table.TableTransfer;
import dev.coppice.table.TableType;
import dev.coppice.table.Tables;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ultimate guardian of the data, as in the article: it creates the protected named table with
 * itself as heir, loads it from the database, hands it to whoever asks ({@code give_away}), and
 * takes it back when the owner dies (the {@link TableTransfer} message), ready to hand it out
 * again.
 *
 * <p>The load from the database happens here, in init, and only when no table exists: a restart
 * of the {@link Server} never reaches the database, because the table survives it.
 */
public final class DataMaster
    implements GenServer<Optional<Table<Long, String>>, DataMaster.Request, Void> {
  private static final Logger log = LoggerFactory.getLogger(DataMaster.class);

  /** The table's name: the article's {@code :data}. */
  public static final TableName<Long, String> TABLE = new TableName<>("data");

  /** The name DataMaster registers under. */
  public static final ServerName<Request, Void> NAME = new ServerName<>("data_master");

  /** What DataMaster answers. */
  public sealed interface Request {}

  /**
   * The article's {@code get_ets}: give the table to {@code caller}, or reply empty when the table
   * is out (another process owns it).
   *
   * @param caller the process that will own the table
   * @param from the reply handle
   */
  public record GetTable(Pid caller, From<Optional<Table<Long, String>>> from)
      implements Request {}

  private final Database db;

  /**
   * A DataMaster that loads from {@code db} when it has to create the table.
   *
   * @param db the database
   */
  public DataMaster(Database db) {
    this.db = db;
  }

  @Override
  public Init<Optional<Table<Long, String>>> init() throws Exception {
    if (Tables.whereis(Processes.node(), TABLE).isPresent()) {
      throw new IllegalStateException(
          "the table '" + TABLE.value() + "' already exists: another DataMaster is running");
    }
    Table<Long, String> table =
        Table.<Long, String>builder()
            .type(TableType.SET)
            .access(Access.PROTECTED)
            .named(TABLE)
            .heir(Processes.self(), "data_master")
            .create();
    long start = System.nanoTime();
    long rows =
        db.loadAll(
            table::insert,
            n -> log.info("loading '{}' from {}: {} rows so far", TABLE.value(), db.url(), n));
    log.info(
        "loaded {} rows into '{}' in {} ms",
        rows,
        TABLE.value(),
        (System.nanoTime() - start) / 1_000_000);
    return Init.ok(Optional.of(table));
  }

  @Override
  public Next<Optional<Table<Long, String>>> handleCall(
      Request request, Optional<Table<Long, String>> held) {
    return switch (request) {
      case GetTable(Pid caller, var from) -> {
        if (held.isEmpty()) {
          yield Next.reply(from, Optional.empty(), held);
        }
        held.get().giveAway(caller, "data_master");
        yield Next.reply(from, held, Optional.empty());
      }
    };
  }

  @Override
  public Next<Optional<Table<Long, String>>> handleInfo(
      Object message, Optional<Table<Long, String>> held) {
    if (message instanceof TableTransfer transfer) {
      // the owner died and the table came back: ready to hand it out again
      return Next.noreply(Optional.of(transfer.<Long, String>asTable()));
    }
    return GenServer.super.handleInfo(message, held);
  }
}
