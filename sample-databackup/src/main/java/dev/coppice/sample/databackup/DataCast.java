// SPDX-License-Identifier: Apache-2.0
package dev.coppice.sample.databackup;

/** The casts a data server takes: only the demo's way to make it crash inside a callback. */
public enum DataCast {
  /** Throw from handleCast: a crash in a callback, after which terminate runs. */
  CRASH
}
