// SPDX-License-Identifier: Apache-2.0
package dev.coppice.sample.databackup;

import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Alternative (a) of the article: the server keeps its records in its own state and, when it is
 * restarted after a crash, makes the expensive call to the database again. Every write since the
 * last load is lost with the crash, and the data is back only when the reload has finished.
 */
public final class ReloadServer implements GenServer<Map<Long, String>, DataCall, DataCast> {
  private final Database db;

  /**
   * A server that loads from {@code db} in every init.
   *
   * @param db the database
   */
  public ReloadServer(Database db) {
    this.db = db;
  }

  @Override
  public Init<Map<Long, String>> init() throws Exception {
    Map<Long, String> records = new HashMap<>();
    db.loadAll(records::put, n -> {});
    return Init.ok(records);
  }

  @Override
  public Next<Map<Long, String>> handleCall(DataCall call, Map<Long, String> records) {
    return answer(call, records);
  }

  /**
   * Answers a {@link DataCall} from a map held in the server's state: what both alternatives do.
   *
   * @param call the call
   * @param records the state
   * @return the reply and the unchanged state
   */
  static Next<Map<Long, String>> answer(DataCall call, Map<Long, String> records) {
    return switch (call) {
      case DataCall.InsertData(long id, String data, var from) -> {
        records.put(id, data);
        yield Next.reply(from, true, records);
      }
      case DataCall.GetData(long id, var from) ->
          Next.reply(from, Optional.ofNullable(records.get(id)), records);
    };
  }

  @Override
  public Next<Map<Long, String>> handleCast(DataCast cast, Map<Long, String> records) {
    throw new IllegalStateException("crash requested by the demo: " + cast);
  }
}
