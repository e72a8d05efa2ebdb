// SPDX-License-Identifier: Apache-2.0
package dev.coppice.sample.databackup;

import dev.coppice.core.genserver.From;
import dev.coppice.core.genserver.GenServer;
import dev.coppice.core.genserver.Init;
import dev.coppice.core.genserver.Next;
import java.util.Map;
import java.util.Optional;

/**
 * Alternative (b) of the article, the backup side: the process the server hands its state to in
 * {@code terminate} ("hold my beer") and takes it back from in {@code init}. Holds at most one
 * state.
 */
public final class HandoffBackup
    implements GenServer<Optional<Map<Long, String>>, HandoffBackup.Request, Void> {

  /** The calls the backup answers. */
  public sealed interface Request {}

  /**
   * Keep this state until it is taken back.
   *
   * @param state the server's state
   * @param from the reply handle
   */
  public record Hold(Map<Long, String> state, From<Boolean> from) implements Request {}

  /**
   * Give back the held state, if any, and forget it.
   *
   * @param from the reply handle
   */
  public record Take(From<Optional<Map<Long, String>>> from) implements Request {}

  /** Creates the backup. */
  public HandoffBackup() {}

  @Override
  public Init<Optional<Map<Long, String>>> init() {
    return Init.ok(Optional.empty());
  }

  @Override
  public Next<Optional<Map<Long, String>>> handleCall(
      Request request, Optional<Map<Long, String>> held) {
    return switch (request) {
      case Hold(var state, var from) -> Next.reply(from, true, Optional.of(state));
      case Take(var from) -> Next.reply(from, held, Optional.empty());
    };
  }
}
