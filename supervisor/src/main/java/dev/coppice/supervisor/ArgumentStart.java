// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.genserver.OnStart;
import java.util.List;

/** INTERNAL: a {@link StartFunction} that passes extra arguments on. */
final class ArgumentStart implements StartFunction {
  private final StartFunction.WithArguments start;

  ArgumentStart(StartFunction.WithArguments start) {
    this.start = start;
  }

  @Override
  public OnStart<?> start() throws Exception {
    return start.start(List.of());
  }

  @Override
  public OnStart<?> start(List<Object> extraArguments) throws Exception {
    return start.start(extraArguments);
  }
}
