// SPDX-License-Identifier: Apache-2.0
/**
 * coppice core: OTP-style processes on virtual threads (spawn, links, monitors, exit signals,
 * registry, timers) and the GenServer behaviour.
 */
module dev.coppice.core {
  requires org.jctools.core; // mailbox queues; never exposed in the API
  requires org.slf4j; // logging; never exposed in the API

  exports dev.coppice.core;
  exports dev.coppice.core.genserver;
}
