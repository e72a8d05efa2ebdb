// SPDX-License-Identifier: Apache-2.0
/**
 * OTP supervisors on the coppice core runtime: static child lists with the one_for_one,
 * rest_for_one and one_for_all strategies, restart intensity, a dynamic supervisor, and opt-in
 * restart backoff.
 */
module dev.coppice.supervisor {
  requires transitive dev.coppice.core; // our API exposes Pid, ExitReason, OnStart and Ticker
  requires org.slf4j; // supervisor reports; never exposed in the API

  exports dev.coppice.supervisor;
}
