// SPDX-License-Identifier: Apache-2.0
package dev.coppice.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * What a supervisor needs to know about one child: OTP's child specification.
 *
 * <pre>{@code
 * ChildSpec.worker("server", () -> GenServer.startLink(new Server()))
 *     .withRestart(Restart.TRANSIENT)
 *     .withShutdown(Shutdown.timeout(Duration.ofSeconds(5)));
 * }</pre>
 *
 * <p>{@link #worker} and {@link #supervisor} fill in OTP's defaults: restart {@link
 * Restart#PERMANENT}, shutdown 5 s for a worker and {@link Shutdown#infinity() infinity} for a
 * supervisor, not significant, no backoff. The {@code with*} methods return copies.
 *
 * <h2>Validation</h2>
 *
 * Each field is checked here, when the spec is built. Rules that combine fields or depend on the
 * supervisor are checked when the supervisor starts, or by {@code startChild}: unique ids, {@link
 * #significant()} only with {@link Restart#TRANSIENT} or {@link Restart#TEMPORARY} and only under
 * an {@link AutoShutdown} other than {@code NEVER} (OTP's {@code bad_combination}). Every
 * message names the offending value.
 *
 * @param id the child's name within its supervisor; not blank
 * @param start how to start the child; called afresh for every start and restart
 * @param restart when the child is restarted
 * @param shutdown how the child is stopped
 * @param type worker or supervisor
 * @param significant whether the child's end for good may shut the supervisor down (see {@link
 *     AutoShutdown})
 * @param backoff the delay before a restart; {@link Backoff#NONE} restarts at once
 * @since 0.1
 */
public record ChildSpec(
    String id,
    StartFunction start,
    Restart restart,
    Shutdown shutdown,
    ChildType type,
    boolean significant,
    Backoff backoff) {

  /** The default shutdown of a worker: 5 seconds, as OTP's. */
  public static final Duration DEFAULT_WORKER_SHUTDOWN = Duration.ofSeconds(5);

  /**
   * Validates each field.
   *
   * @throws IllegalArgumentException if {@code id} is blank
   */
  public ChildSpec {
    Objects.requireNonNull(id, "id: every child needs an id (OTP's missing_id)");
    Objects.requireNonNull(start, "start: child '" + id + "' needs a start function");
    Objects.requireNonNull(restart, "restart");
    Objects.requireNonNull(shutdown, "shutdown");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(backoff, "backoff: use Backoff.NONE for none");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a child id must not be blank: '" + id + "'");
    }
  }

  /**
   * {@return a permanent worker with a 5 second shutdown}
   *
   * @param id the child's id
   * @param start how to start it, for example {@code () -> GenServer.startLink(new Server())}
   * @throws IllegalArgumentException if {@code id} is blank
   */
  public static ChildSpec worker(String id, StartFunction start) {
    return new ChildSpec(
        id,
        start,
        Restart.PERMANENT,
        Shutdown.timeout(DEFAULT_WORKER_SHUTDOWN),
        ChildType.WORKER,
        false,
        Backoff.NONE);
  }

  /**
   * {@return a permanent supervisor child with shutdown {@link Shutdown#infinity() infinity}}
   *
   * @param id the child's id
   * @param start how to start it, for example {@code () -> Supervisor.startLink(flags, kids)}
   * @throws IllegalArgumentException if {@code id} is blank
   */
  public static ChildSpec supervisor(String id, StartFunction start) {
    return new ChildSpec(
        id,
        start,
        Restart.PERMANENT,
        Shutdown.infinity(),
        ChildType.SUPERVISOR,
        false,
        Backoff.NONE);
  }

  /**
   * {@return a copy with this id}
   *
   * @param newId the id
   * @throws IllegalArgumentException if {@code newId} is blank
   */
  public ChildSpec withId(String newId) {
    return new ChildSpec(newId, start, restart, shutdown, type, significant, backoff);
  }

  /**
   * {@return a copy with this start function}
   *
   * @param newStart the start function
   */
  public ChildSpec withStart(StartFunction newStart) {
    return new ChildSpec(id, newStart, restart, shutdown, type, significant, backoff);
  }

  /**
   * {@return a copy with this restart type}
   *
   * @param newRestart the restart type
   */
  public ChildSpec withRestart(Restart newRestart) {
    return new ChildSpec(id, start, newRestart, shutdown, type, significant, backoff);
  }

  /**
   * {@return a copy with this shutdown}
   *
   * @param newShutdown the shutdown
   */
  public ChildSpec withShutdown(Shutdown newShutdown) {
    return new ChildSpec(id, start, restart, newShutdown, type, significant, backoff);
  }

  /**
   * {@return a copy with this type; the shutdown is kept as it is}
   *
   * @param newType the type
   */
  public ChildSpec withType(ChildType newType) {
    return new ChildSpec(id, start, restart, shutdown, newType, significant, backoff);
  }

  /**
   * {@return a copy that is significant or not}
   *
   * @param newSignificant whether the child is significant
   */
  public ChildSpec withSignificant(boolean newSignificant) {
    return new ChildSpec(id, start, restart, shutdown, type, newSignificant, backoff);
  }

  /**
   * {@return a copy with this restart backoff}
   *
   * @param newBackoff the backoff, for example {@code Backoff.exponential(ms(100), s(10), 0.2)}
   */
  public ChildSpec withBackoff(Backoff newBackoff) {
    return new ChildSpec(id, start, restart, shutdown, type, significant, newBackoff);
  }

  @Override
  public String toString() {
    return "ChildSpec[id="
        + id
        + ", restart="
        + restart
        + ", shutdown="
        + shutdown
        + ", type="
        + type
        + (significant ? ", significant" : "")
        + (backoff instanceof Backoff.None ? "" : ", backoff=" + backoff)
        + "]";
  }
}
