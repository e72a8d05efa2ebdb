// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/** INTERNAL: the checks that combine child specs with each other and with the flags. */
final class Validation {
  private Validation() {}

  /**
   * Checks a supervisor's flags and children before it starts.
   *
   * @throws IllegalArgumentException naming the offending child and value
   */
  static void check(SupervisorFlags flags, List<ChildSpec> children) {
    Objects.requireNonNull(flags, "flags");
    Objects.requireNonNull(children, "children");
    HashSet<String> ids = new HashSet<>();
    for (ChildSpec spec : children) {
      Objects.requireNonNull(spec, "children must not contain null");
      if (!ids.add(spec.id())) {
        throw new IllegalArgumentException(
            "duplicate child id '"
                + spec.id()
                + "': ids must be unique within a supervisor (OTP's duplicate_child_name)");
      }
      String problem = problem(flags.autoShutdown(), spec);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
    }
  }

  /** {@return what is wrong with {@code spec} under {@code autoShutdown}, or null} */
  static String problem(AutoShutdown autoShutdown, ChildSpec spec) {
    if (!spec.significant()) {
      return null;
    }
    if (spec.restart() == Restart.PERMANENT) {
      return "child '"
          + spec.id()
          + "' is significant and PERMANENT: a significant child must be TRANSIENT or TEMPORARY"
          + " (OTP's bad_combination [{restart, permanent}, {significant, true}])";
    }
    if (autoShutdown == AutoShutdown.NEVER) {
      return "child '"
          + spec.id()
          + "' is significant but the supervisor's autoShutdown is NEVER: use ANY_SIGNIFICANT or"
          + " ALL_SIGNIFICANT, or withSignificant(false)"
          + " (OTP's bad_combination [{auto_shutdown, never}, {significant, true}])";
    }
    return null;
  }
}
