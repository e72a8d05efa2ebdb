// SPDX-License-Identifier: Apache-2.0
/** JUnit 5 support for code built on coppice. */
module dev.coppice.testkit {
  requires transitive dev.coppice.core;
  requires transitive org.junit.jupiter.api;
  requires transitive org.slf4j;

  exports dev.coppice.testkit;

  provides org.slf4j.spi.SLF4JServiceProvider with
      dev.coppice.testkit.CapturingProvider;
}
