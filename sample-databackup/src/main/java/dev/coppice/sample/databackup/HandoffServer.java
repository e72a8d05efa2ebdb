// SPDX-License-Identifier: Apache-2.0
package dev.coppice.sample.databackup;

import dev.coppice.core.ExitReason;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;
import dev.coppice.core.genserver.ServerName;
import dev.coppice.core.genserver.ServerRef;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Alternative (b) of the article, the server side: it hands its whole state to {@link
 * HandoffBackup} in {@code terminate} and takes it back in {@code init}. On the JVM the hand-over
 * passes a reference, so it is cheap; what this alternative cannot fix is that terminate does not
 * run for every exit (a kill, or an exit signal to a server that does not trap exits). Then the
 * state is gone, init finds nothing held, and the server reloads from the database, losing every
 * write since the last load.
 */
public final class HandoffServer implements GenServer<Map<Long, String>, DataCall, DataCast> {
  private final Database db;
  private final ServerRef<HandoffBackup.Request, Void> backup;

  /**
   * A server backed up by the process registered as {@code backupName}.
   *
   * @param db the database to load from when nothing was handed over
   * @param backup the backup
   */
  public HandoffServer(Database db, ServerRef<HandoffBackup.Request, Void> backup) {
    this.db = db;
    this.backup = backup;
  }

  /** The name the demo registers the backup under. */
  public static final ServerName<HandoffBackup.Request, Void> BACKUP =
      new ServerName<>("handoff_backup");

  @Override
  public Init<Map<Long, String>> init() throws Exception {
    Optional<Map<Long, String>> held = backup.call(HandoffBackup.Take::new);
    if (held.isPresent()) {
      return Init.ok(held.get());
    }
    Map<Long, String> records = new HashMap<>();
    db.loadAll(records::put, n -> {});
    return Init.ok(records);
  }

  @Override
  public Next<Map<Long, String>> handleCall(DataCall call, Map<Long, String> records) {
    return ReloadServer.answer(call, records);
  }

  @Override
  public Next<Map<Long, String>> handleCast(DataCast cast, Map<Long, String> records) {
    throw new IllegalStateException("crash requested by the demo: " + cast);
  }

  @Override
  public void terminate(ExitReason reason, Map<Long, String> records) {
    backup.<Boolean>call(from -> new HandoffBackup.Hold(records, from));
  }
}
