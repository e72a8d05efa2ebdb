// SPDX-License-Identifier: Apache-2.0
/**
 * ETS-style owned tables for coppice: set, ordered_set, bag and duplicate_bag tables that belong to
 * a process, with access rights, heirs, give_away and per-node named tables.
 */
module dev.coppice.table {
  requires transitive dev.coppice.core; // our API exposes Pid and Node
  requires org.slf4j; // logging; never exposed in the API

  exports dev.coppice.table;
}
