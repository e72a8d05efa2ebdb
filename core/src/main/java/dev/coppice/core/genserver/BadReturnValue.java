// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

/**
 * The exit reason term of a server whose callback returned something the runtime cannot act on
 * (in Java: {@code null}): OTP's {@code {bad_return_value, V}}.
 *
 * @param callback the callback that returned it
 * @param value what it returned
 * @since 0.1
 */
public record BadReturnValue(String callback, Object value) {}
