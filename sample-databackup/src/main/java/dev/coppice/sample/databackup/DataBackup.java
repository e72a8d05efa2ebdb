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
import dev.coppice.table.Tables;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The DataBackup app of the article "Survive the Fire" on coppice: a supervisor that starts
 * {@link DataMaster}, then {@link Server}.
 *
 * <h2>Why rest_for_one</h2>
 *
 * The Server depends on DataMaster, not the other way round, which is what {@code rest_for_one}
 * expresses (children start in list order; a child's failure restarts it and the children
 * started after it):
 *
 * <ul>
 *   <li>The Server crashes: only the Server restarts. The table passes to DataMaster (its heir)
 *       with all its data and comes back to the new Server in microseconds. {@code one_for_all}
 *       would needlessly restart DataMaster too, and its init would reload the database.
 *   <li>DataMaster dies: the table loses its heir. With {@code one_for_one}, the new DataMaster
 *       would find the named table still owned by the old Server, could not become its heir (only
 *       the owner may set the heir), and the next Server crash would delete the table. With
 *       {@code rest_for_one} the Server is stopped first; as its heir is dead, the table goes
 *       with it; the new DataMaster creates the table and reloads it from the database, and a new
 *       Server takes it. The expensive load is paid only in this rare case, and the app is again
 *       in its normal shape. Writes acknowledged since the last load are lost in this case,
 *       because in the article's design the table, not the database, holds them.
 * </ul>
 *
 * The restart intensity is generous (1000 restarts in 10 s) because the demo kills the Server on
 * purpose many times in a row; a real deployment would use a tighter limit.
 */
public final class DataBackup {
  /** The name of the app's supervisor. */
  public static final String SUPERVISOR = "data_backup";

  private DataBackup() {}

  /**
   * {@return the supervisor flags of the app: rest_for_one, 1000 restarts in 10 s}
   */
  public static SupervisorFlags flags() {
    return SupervisorFlags.restForOne().withIntensity(1000, Duration.ofSeconds(10));
  }

  /**
   * {@return the app's children, in start order: DataMaster, then Server}
   *
   * @param node the node the app runs on
   * @param db the database DataMaster loads from
   */
  public static List<ChildSpec> children(Node node, Database db) {
    ServerRef<DataMaster.Request, Void> master = ServerRef.named(node, DataMaster.NAME);
    return List.of(
        ChildSpec.worker(
            "data_master",
            () ->
                GenServer.startLink(
                    new DataMaster(db), StartOptions.named(DataMaster.NAME.value()))),
        ChildSpec.worker(
            "server",
            () ->
                GenServer.startLink(new Server(master), StartOptions.named(Server.NAME.value()))));
  }

  /**
   * Starts the app on {@code node}, not linked to the caller. May be called from any thread.
   *
   * @param node the node
   * @param db the database to load from on the first start
   * @return the supervisor, once DataMaster has loaded the table and the Server owns it
   */
  public static OnStart<Supervisor> start(Node node, Database db) {
    return Supervisor.start(node, flags(), children(node, db), StartOptions.named(SUPERVISOR));
  }

  /**
   * {@return a reference to the Server, found by name at every call}
   *
   * @param node the node
   */
  public static ServerRef<DataCall, DataCast> server(Node node) {
    return ServerRef.named(node, Server.NAME);
  }

  /**
   * Stores {@code data} under {@code id} through the Server: the article's {@code insert_data}.
   * May be called from any thread.
   *
   * @param node the node
   * @param id the record id
   * @param data the data
   * @throws dev.coppice.core.genserver.CallException if the Server is down or restarting
   */
  public static void insertData(Node node, long id, String data) {
    server(node).<Boolean>call(from -> new DataCall.InsertData(id, data, from));
  }

  /**
   * Reads the data under {@code id} through the Server: the article's {@code get_data}. May be
   * called from any thread.
   *
   * @param node the node
   * @param id the record id
   * @return the data, if the record exists
   * @throws dev.coppice.core.genserver.CallException if the Server is down or restarting
   */
  public static Optional<String> getData(Node node, long id) {
    return server(node).call(from -> new DataCall.GetData(id, from));
  }

  /**
   * Reads the data under {@code id} straight from the protected table, from the calling process
   * or thread, without going through the Server's mailbox. Such reads keep working while the
   * Server restarts, because the table outlives it. May be called from any thread.
   *
   * @param node the node
   * @param id the record id
   * @return the data, if the record exists; empty also in the rare moment when the table itself
   *     is being rebuilt after DataMaster died
   */
  public static Optional<String> readDirect(Node node, long id) {
    return Tables.whereis(node, DataMaster.TABLE)
        .flatMap(t -> t instanceof dev.coppice.table.Table<Long, String> table ? table.lookup(id) : Optional.empty());
  }
}
