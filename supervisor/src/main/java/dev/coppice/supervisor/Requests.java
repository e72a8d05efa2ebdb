// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import dev.coppice.core.ExitReason;
import dev.coppice.core.Pid;
import dev.coppice.core.genserver.From;
import java.util.List;
import java.util.Optional;

/**
 * INTERNAL: the call protocol of {@link Supervisor} and {@link DynamicSupervisor}, and the
 * messages a supervisor sends itself. Both kinds of supervisor answer every request, so {@link
 * Supervisor#of} works on either for inspection.
 */
final class Requests {
  private Requests() {}

  sealed interface Request
      permits StartChild,
          TerminateChild,
          TerminatePid,
          RestartChild,
          DeleteChild,
          WhichChildren,
          CountChildren,
          GetChildSpec {}

  /** Replies with a result record, a {@link StartError} or an {@link Invalid}. */
  record StartChild(ChildSpec spec, From<Object> from) implements Request {}

  record TerminateChild(String id, From<Boolean> from) implements Request {}

  record TerminatePid(Pid pid, From<Boolean> from) implements Request {}

  /** Replies with a {@link RestartChildResult} or a {@link StartError}. */
  record RestartChild(String id, From<Object> from) implements Request {}

  record DeleteChild(String id, From<DeleteChildResult> from) implements Request {}

  /** Replies with every child, newest first (OTP's order) or in start order, as asked. */
  record WhichChildren(boolean newestFirst, From<List<ChildInfo>> from) implements Request {}

  record CountChildren(From<ChildCounts> from) implements Request {}

  record GetChildSpec(String id, From<Optional<ChildSpec>> from) implements Request {}

  /** Reply: the start function failed; the caller throws {@link ChildStartException}. */
  record StartError(String id, ExitReason reason) {}

  /** Reply: the spec is not valid here; the caller throws {@link IllegalArgumentException}. */
  record Invalid(String message) {}

  /** To self: try the pending restart of {@code child} now, if {@code token} still matches. */
  record Retry(Child child, Object token) {}
}
