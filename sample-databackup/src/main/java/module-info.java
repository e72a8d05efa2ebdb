// SPDX-License-Identifier: Apache-2.0
/**
 * The DataBackup sample: the app of the article "Survive the Fire" on coppice. It uses only what
 * the library modules export, as any user would.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // HdrHistogram has no module name
module dev.coppice.sample.databackup {
  requires transitive dev.coppice.core;
  requires transitive dev.coppice.supervisor;
  requires transitive dev.coppice.table;
  requires transitive java.sql;
  requires info.picocli;
  requires transitive HdrHistogram;
  requires org.slf4j;

  exports dev.coppice.sample.databackup;

  opens dev.coppice.sample.databackup to
      info.picocli;
}
