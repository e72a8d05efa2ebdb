// SPDX-License-Identifier: Apache-2.0
package dev.coppice.core.genserver;

import dev.coppice.core.MailboxBound;
import java.time.Duration;
import java.util.Objects;

/**
 * Options for starting a {@link GenServer}: OTP's {@code {local, Name}} and {@code {timeout, T}},
 * and coppice's bounded mailbox.
 *
 * @param name the name to register the server under before init, or null for none; the name is
 *     released when the server ends
 * @param timeout how long init may take; past it the server is killed and the start fails with
 *     reason {@code timeout}. {@link ServerRef#INFINITY} waits forever (the default).
 * @param mailbox the bound of the server's mailbox, or null for none (the default); see {@link
 *     MailboxBound}
 * @since 0.1
 */
public record StartOptions(String name, Duration timeout, MailboxBound mailbox) {

  /** No name, no init timeout, no mailbox bound. */
  public static final StartOptions DEFAULTS = new StartOptions(null, ServerRef.INFINITY, null);

  /**
   * Options with a name and a timeout and no mailbox bound.
   *
   * @param name the name, or null for none
   * @param timeout how long init may take
   */
  public StartOptions(String name, Duration timeout) {
    this(name, timeout, null);
  }

  /** Validates the options. */
  public StartOptions {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("start timeout must not be negative: " + timeout);
    }
    if (name != null && name.isBlank()) {
      throw new IllegalArgumentException("a server name must not be blank");
    }
  }

  /**
   * {@return options that register the server as {@code name}}
   *
   * @param name the name
   */
  public static StartOptions named(String name) {
    return DEFAULTS.withName(Objects.requireNonNull(name, "name"));
  }

  /**
   * {@return a copy with this name}
   *
   * @param newName the name, or null for none
   */
  public StartOptions withName(String newName) {
    return new StartOptions(newName, timeout, mailbox);
  }

  /**
   * {@return a copy with this init timeout}
   *
   * @param newTimeout how long init may take
   */
  public StartOptions withTimeout(Duration newTimeout) {
    return new StartOptions(name, newTimeout, mailbox);
  }

  /**
   * {@return a copy with this mailbox bound}
   *
   * @param newMailbox the bound, or null for none
   */
  public StartOptions withMailbox(MailboxBound newMailbox) {
    return new StartOptions(name, timeout, newMailbox);
  }
}
