// SPDX-License-Identifier: Apache-2.0
package dev.coppice.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lets a test (or every test of a class) leave ERROR log events unexamined: crash storms and
 * property tests that provoke crashes on purpose. Without it, {@link NodeExtension} fails a test
 * that logged an ERROR it did not look at through {@link LogCapture}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface AllowErrorLogs {}
