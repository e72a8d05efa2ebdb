// SPDX-License-Identifier: Apache-2.0
package dev.coppice.sample.databackup;

import dev.coppice.core.genserver.From;
import java.util.Optional;

/**
 * The calls a data server answers: the article's {@code insert_data} and {@code get_data}. All
 * three servers of the demo (the heir-backed {@link Server} and the two alternatives) speak it.
 */
public sealed interface DataCall {

  /**
   * Stores {@code data} under {@code id}; the reply (true) acknowledges the write.
   *
   * @param id the record id
   * @param data the data
   * @param from the reply handle
   */
  record InsertData(long id, String data, From<Boolean> from) implements DataCall {}

  /**
   * Reads the data under {@code id}.
   *
   * @param id the record id
   * @param from the reply handle
   */
  record GetData(long id, From<Optional<String>> from) implements DataCall {}
}
